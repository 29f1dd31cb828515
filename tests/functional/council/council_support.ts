import type { ApiResponse } from '@japa/api-client'

/** Sends the request and asserts the response's status. */
export async function expectStatus(
  request: PromiseLike<ApiResponse>,
  status: number
): Promise<ApiResponse> {
  const response = await request
  response.assertStatus(status)
  return response
}

/** Sends the request and returns the response's body as text. */
export async function textOf(request: PromiseLike<ApiResponse>): Promise<string> {
  const response = await request
  return response.text()
}

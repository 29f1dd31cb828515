/**
 * The three registrations of the seed council documents (copies in tests/fixtures/seeds),
 * as register data. Generated from the seed texts (values copied verbatim).
 */
export interface DemoContract {
  title: string
  contractor: string | null
  selectionMethod: 'tokumei' | 'nyusatsu' | 'proposal' | 'other' | null
  undecidedNote: string | null
  reason: string
  tasks: string[]
  periodType: 'fixed' | 'open_ended' | 'renewed_yearly'
  startsOn: string | null
  endsOn: string | null
  periodNote: string | null
  media: Array<'paper' | 'electronic' | 'usb' | 'cloud'>
  /** Item names, or 'all' for every item of the system. */
  provided: string[] | 'all'
  collected: string[] | 'all'
  wardOperational: string[]
  wardSystem: string[]
  contractorOperational: string[]
  contractorSystem: string[]
  /** Code of the special-terms set attached. */
  terms: string
  /** Periodic reports the ward's measures ask for. */
  reportFrequency?: 'monthly' | 'quarterly' | 'yearly'
  /** The call-center contract: its contractor reads the FAQ marked for the call center. */
  callCenter?: boolean
  /** As written in the document: whose data (before the items), and the text after the items. */
  subjectsText?: string
  itemsNote?: string
  itemsLayout?: 'comma' | 'lines' | 'bullets'
  /** Group headings, on the first item of each group (by item name). */
  itemHeadings?: Record<string, string>
  /** Printed before the dates; the start written to the month. */
  periodLead?: string
  startsOnPrecision?: 'day' | 'month'
}

export interface DemoSystem {
  key: string
  /** Department code (see demo_data.ts). */
  department: string
  name: string
  businessName: string | null
  purpose: string
  subjectsSummary: string | null
  description: string | null
  subjectGroups: string[]
  items: string[]
  recordingComputer: string | null
  media: Array<'paper' | 'electronic' | 'usb' | 'cloud'>
  lifecycle: 'planned' | 'in_development' | 'operating' | 'retired'
  startedOn: string | null
  changeReason: string | null
  changeContent: string | null
  developmentMeasures: string | null
  changeSchedule: string | null
  collectionMethod: string | null
  regularRecipients: string | null
  contract: DemoContract
}

export const SEED_000: DemoSystem = {
  key: 'seed000',
  department: 'kocho',
  name: 'コールセンター及び区民意見システム',
  businessName: 'コールセンター及び区民意見システム',
  purpose:
    '区へ寄せられる区民等の意見及び問合せ（以下「意見等」という。）に対し、迅速かつ適切に回答するとともに、意見等を総合的に分析し、区の施策への有効活用を図る。',
  subjectsSummary: '意見等を行う者',
  description:
    '区では、区政に対する意見等を聴取し、それを区政に活かすため、区政への投書制度を実施している。\n意見等は、一般投書、区長へのはがき及び区ホームページ上の意見入力欄等様々な媒体により寄せられており、区は、意見、要望（匿名を除く。）に対し、原則として受付から14日程度（休日、祝日及び年末年始を除く。）で回答書を作成し、当該意見、要望を行った本人あてに送付することとしている。また、問合せについても迅速に対応している。\n行政需要が多様化する中、様々な媒体による意見等に対し、一元的に管理し、迅速かつ的確に対応するとともに、各回答処理後に意見等をデータベース化し、集計及び分析を行うため、平成20年3月に新宿区コールセンターFAQシステム（以下「FAQシステム」という。）を、平成21年4月にFAQシステムのデータベース上のサブシステムとして新宿区区民意見システム（以下「意見システム」という。）を、それぞれ導入した（平成19年度第3回及び平成20年度第2回本審議会承認事項）。\nしかし、平成25年度末に、現行の意見システムに係る機器が更新時期を迎え、現在利用中のFAQシステム及び意見システムに係るデータセンター（サーバ保守管理委託先）も廃止・移転が決定しており、多額の更新経費の発生が見込まれ、FAQシステム及び意見システムを見直す必要が生じている。そのため、FAQシステムのデータベースからデータのみを継承し、情報政策課が管理する統合基盤上へ統合する形で新たにシステムの再構築を行う。\n新たなシステムでは、セキュリティ管理が十分に行われるよう、SSLにより暗号化された専用システムによりIDとパスワードを用いて送受信を行う等、安全な相互通信環境を実現する。また、意見等の収受から回答までの進捗状況を新たなシステムで一元的に管理できるようにし、処理の効率化を図る。\n行政需要の把握のための支援機能としては、寄せられた意見等を新たなシステム上で分析し、そのデータを各課が施策や事業の継続的な見直しに活用することで、区民満足度の高い区政運営を実現する（資料2-1）。',
  subjectGroups: [
    '区長への投書(一般投書、区長へのはがき、メール)として、区へ意見等を提出した者',
    '担当課へ区のホームページから問合せを行い、かつ、回答を要望する者',
    'コールセンター対象外業務についてコールセンターに問合せを行い、かつ、後日、担当課から回答を要望する者',
  ],
  items: [
    'ID',
    'パスワード',
    '氏名',
    '郵便番号',
    '住所',
    '電話番号',
    'メールアドレス(ID登録用)',
    'FAX番号',
    '意見等の内容',
    '回答内容',
  ],
  recordingComputer:
    '情報政策課が管理する統合基盤上に再構築する「新宿区FAQシステム」(区民意見システムの上位システム)のデータベースサーバーに、コールセンター業務の情報項目とあわせて、上記「個人の範囲」該当者からの意見等を処理する業務の情報項目を記録し、一元管理する。',
  media: ['electronic'],
  lifecycle: 'operating',
  startedOn: '2014-04-01',
  changeReason:
    '平成25年度末に、現行の意見システムに係る機器が更新時期を迎え、現在利用中のFAQシステム及び意見システムに係るデータセンター(サーバ保守管理委託先)も廃止・移転が決定しており、多額の更新経費の発生が見込まれ、FAQシステム及び意見システムを見直す必要が生じている。そのため、FAQシステムのデータベースからデータのみを継承し、情報政策課が管理する統合基盤上へ統合する形で新たにシステムの再構築を行う。',
  changeContent:
    '1 下記の機能を備えたシステムを情報政策課の管理する統合基盤上へ新たに開発・再構築する。\n【システムの機能】\n○区民向け画面(インターネット用)及び職員向け画面(イントラネット用)\n○ユーザ情報管理(登録・認証)\n○意見等の入力・検索・更新\n○意見等の関係所属転送\n○意見等の処理(回答・説明・対応等)\n○処理履歴入力・検索・更新\n○意見等処理の進捗管理\n○意見等統計処理\n○意見等データ抽出・分析(所属毎)\n○意見等データのCSV出力\n○区民等からのWebフォーム問合せ等の入力(暗号化)\n○区民等への回答等の送信(暗号化)\n○FAQ情報の登録・公開・検索・更新\n○FAQデータのCSV出力\n○FAQデータに係わる電子的な承認依頼と上位者の承認\n○担当課あてアラートメッセージ送信\n2 データベースの移行及び動作の検証 現行のFAQシステム(意見システム)のデータベースを新たなシステムへ移行させるとともに、それに伴う動作検証作業を行う。データベースの移行作業は、情報政策課が管理する統合基盤上で行う。',
  developmentMeasures: '再構築の過程におけるテスト、データセットアップには、区職員が立ち会う。',
  changeSchedule:
    '平成25年6月 新たなシステムの開発業者と委託契約を締結する予定\n平成25年6～12月 新たなシステムの開発・再構築、データベースの移行作業\n平成26年1～3月 新たなシステムに係る動作の検証\n平成26年2月 新たなシステムに係る操作の研修\n平成26年4月 新たなシステムの本稼働',
  collectionMethod: '本人から（書面、電子メール、Webフォーム、電話）',
  regularRecipients: null,
  contract: {
    title:
      '新宿区コールセンターFAQシステム及び新宿区区民意見システムの再構築に係る業務の委託について',
    contractor: null,
    selectionMethod: 'tokumei',
    undecidedNote: '未定(6月に特命随契で事業者を指定する予定)',
    reason:
      '前記「新規開発・追加・変更の内容」欄の業務内容については、専門的、技術的ノウハウが必要であるため',
    tasks: [
      '下記の機能を備えたシステムを情報政策課の管理する統合基盤上へ新たに開発・再構築する。\n【システムの機能】\n○区民向け画面(インターネット用)及び職員向け画面(イントラネット用)\n○ユーザ情報管理(登録・認証)\n○意見等の入力・検索・更新\n○意見等の関係所属転送\n○意見等の処理(回答・説明・対応等)\n○処理履歴入力・検索・更新\n○意見等処理の進捗管理\n○意見等統計処理\n○意見等データ抽出・分析(所属毎)\n○意見等データのCSV出力\n○区民等からのWebフォーム問合せ等の入力(暗号化)\n○区民等への回答等の送信(暗号化)\n○FAQ情報の登録・公開・検索・更新\n○FAQデータのCSV出力\n○FAQデータに係わる電子的な承認依頼と上位者の承認\n○担当課あてアラートメッセージ送信',
      'データベースの移行及び動作の検証\n現行のFAQシステム(意見システム)のデータベースを新たなシステムへ移行させるとともに、それに伴う動作検証作業を行う。データベースの移行作業は、情報政策課が管理する統合基盤上で行う。',
    ],
    periodType: 'fixed',
    startsOn: '2013-06-01',
    endsOn: '2014-03-31',
    periodNote: null,
    startsOnPrecision: 'month',
    itemHeadings: { ID: '【該当者(※)に係る情報項目】' },
    itemsNote:
      '※ 「該当者」の定義\n1 区長への投書(一般投書、区長へのはがき、メール)として、区へ意見等を提出した者\n2 担当課へ区のホームページから問合せを行い、かつ、回答を要望する者\n3 コールセンター対象外業務についてコールセンターに問合せを行い、かつ、後日、担当課から回答を要望する者',
    media: ['electronic'],
    provided: 'all',
    collected: [],
    wardOperational: [
      '契約にあたり、別紙「特記事項」を付す。',
      'データの抽出及びデータのセットアップには、区職員が立ち会う。',
      '抽出された情報は、施錠できる金庫(キャビネット)に保管する。',
    ],
    wardSystem: [],
    contractorOperational: ['取扱責任者及び取扱者をあらかじめ指定する。'],
    contractorSystem: [],
    terms: 'standard-16',
  },
}

export const SEED_001: DemoSystem = {
  key: 'seed001',
  department: 'kusei-joho',
  name: 'コールセンター',
  businessName: 'コールセンター業務委託',
  purpose: '区民等からの電話による簡易な問合せに、オペレータが対応する。',
  subjectsSummary: '新宿区コールセンターへ問合せをする区民等',
  description:
    '区では、１月１日から３日を除く、毎日、午前８時から午後１０時まで、区民等からの電話による簡易な問合せに回答するコールセンターを、平成２０年３月３日に開設する。コールセンターでは、訓練を受けたオペレーターが、よくある質問と回答（ＦＡＱ）や区ホームページ、広報しんじゅく、暮らしのガイド等の区政の情報源を参照しながら、回答する。閉庁時間中の問合せで、オペレーターでの対応が困難な場合は、問合せ者の同意を得て、氏名・開庁時間中に連絡のとれる電話番号等の個人情報を収集する。その際に、ＦＡＱシステムへ個人情報を入力し、翌開庁日に区政情報課及び担当課へ引き継ぎ、回答依頼することとする。',
  subjectGroups: ['問合せをした方'],
  items: [
    '氏名',
    '開庁時に連絡がとれる電話番号',
    '問合せ内容',
    '住所（必要な場合のみ）',
    'Ｅメールアドレス（必要な場合のみ）',
    'ＦＡＸ番号（必要な場合のみ）',
  ],
  recordingComputer: 'ＦＡＱシステム',
  media: ['electronic'],
  lifecycle: 'operating',
  startedOn: '2008-03-03',
  changeReason: null,
  changeContent: null,
  developmentMeasures: null,
  changeSchedule: null,
  collectionMethod: '本人から（電話）',
  regularRecipients: null,
  contract: {
    title: 'コールセンター業務委託について',
    contractor: '三幸株式会社',
    callCenter: true,
    selectionMethod: null,
    undecidedNote: null,
    reason:
      'コールセンター業務は、１月１日から３日を除く、毎日、午前８時から午後１０時まで開設し、多様なライフスタイルに対応した区政情報の提供を行う。コールセンターはこれまでの電話交換業務の機能を拡充し、区民にワンストップでサービス提供をすることを基本に、現行の電話交換業務受託業者へ委託する。コールセンターで解決できない問合せにもきめ細かく対応することが求められることから、必要最小限の情報収集も業務範囲内として委託する。',
    tasks: [
      '区では、１月１日から３日を除く、毎日、午前８時から午後１０時まで、区民等からの電話による簡易な問合せに回答するコールセンターを、平成２０年３月３日に開設する。コールセンターでは、訓練を受けたオペレーターが、よくある質問と回答（ＦＡＱ）や区ホームページ、広報しんじゅく、暮らしのガイド等の区政の情報源を参照しながら、回答する。閉庁時間中の問合せで、オペレーターでの対応が困難な場合は、問合せ者の同意を得て、氏名・開庁時間中に連絡のとれる電話番号等の個人情報を収集する。その際に、ＦＡＱシステムへ個人情報を入力し、翌開庁日に区政情報課及び担当課へ引き継ぎ、回答依頼することとする。',
    ],
    periodType: 'fixed',
    startsOn: '2008-03-03',
    endsOn: '2010-03-31',
    periodLead: '現行の庁舎総合管理業務委託契約に基づき、',
    periodNote: 'とする。',
    subjectsText: '問合せをした方の',
    itemsLayout: 'bullets',
    media: ['electronic'],
    provided: [],
    collected: 'all',
    wardOperational: [
      '契約変更にあたり、別紙「特記事項」を付す。',
      'オペレーターの端末操作にあたり、ユーザーＩＤ及びパスワードによる認証を行い、セキュリティの徹底を図る。',
      '専用回線を経由する端末を使用し、オペレーター室以外での使用を不可能にする。',
      '収集した個人情報は、収集後1年をもって区政情報課で履歴を削除する。',
    ],
    wardSystem: [],
    contractorOperational: [
      '取扱責任者及び取扱うオペレーターをあらかじめ指定し、適切に管理する。',
      '収集した個人情報は、システム上で管理し、速やかに区政情報課、担当課に引き継ぐ。',
    ],
    contractorSystem: [],
    terms: 'standard-13',
  },
}

export const SEED_004: DemoSystem = {
  key: 'seed004',
  department: 'kikikanri',
  name: 'しんじゅく安全・安心情報ネット',
  businessName: '安全で安心して暮らせるまちづくりの推進',
  purpose:
    '区民の身近な生活空間における地域の安心・安全の確立とコミュニティの活性化に資することを目的とする',
  subjectsSummary: 'しんじゅく安全・安心情報ネットへの登録者',
  description:
    '従来、地域センターで住所・氏名・電話番号・メールアドレスを登録していた方に対して不審者情報を配信していたものを、今後は危機管理課が情報を集約・管理し、メールを配信したり、メールと同一内容を電子掲示板に掲出する(以下「しんじゅく安全・安心情報ネット」という)。なお、地域センターが行っている不審者情報の配信を希望している方に対し、しんじゅく安全・安心情報ネットについての周知メールを配信し、しんじゅく安全・安心情報ネットに移行を希望する方は、同周知メールに記載されているURLアドレスにアクセスしてもらい、メールアドレス・パスワード・希望カテゴリーを設定してもらおう。\nしんじゅく安全・安心情報ネットでは、不審者情報、事件情報、防災情報のカテゴリーを設け、登録者が希望するカテゴリーの情報が書き込まれると登録者へメールが一斉配信され、かつ、メールと同一内容が電子掲示板も掲出されるものである。\n詳細については、付属資料1のとおり。',
  subjectGroups: ['メール配信を希望する区民等'],
  items: [
    'メールアドレス',
    'パスワード',
    '配信を希望する情報のカテゴリー(不審者情報、事件情報、防災情報の区別)',
    '登録者へのメール送信の情報',
  ],
  recordingComputer: '委託業者のコンピュータ',
  media: ['electronic'],
  lifecycle: 'operating',
  startedOn: '2007-09-01',
  changeReason: null,
  changeContent: null,
  developmentMeasures: null,
  changeSchedule: null,
  collectionMethod: '本人から（Webフォーム）',
  regularRecipients: null,
  contract: {
    title: '地域安全・安心情報のメール配信に関する業務委託について',
    contractor: '安心メール配信株式会社',
    selectionMethod: 'nyusatsu',
    undecidedNote: '入札により決定した委託業者',
    reason: '上記安全・安心情報ネットの維持管理には専門知識及びノウハウが必要であるため。',
    tasks: [
      'しんじゅく安全・安心情報ネットへの登録者の管理、登録者が希望するカテゴリー(不審者情報、事件情報、防災情報の区別)について当課が作成した内容の一斉メール配信と電子掲示板の維持管理',
    ],
    periodType: 'open_ended',
    startsOn: '2007-09-01',
    endsOn: null,
    periodNote: '(以降継続)',
    subjectsText: '1 処理を依頼する個人の範囲 メール配信を希望する区民等',
    itemsLayout: 'lines',
    itemHeadings: { メールアドレス: '2 処理を依頼する個人情報の項目' },
    itemsNote: '3 記録するコンピュータ 委託業者のコンピュータ',
    media: ['electronic'],
    provided: ['登録者へのメール送信の情報'],
    collected: [
      'メールアドレス',
      'パスワード',
      '配信を希望する情報のカテゴリー(不審者情報、事件情報、防災情報の区別)',
    ],
    wardOperational: [
      '契約にあたり、別紙「特記事項」を付す。',
      '毎月、本システムへの登録者数や登録者へのメール配信状況などについて資料を提出させ管理をします。',
    ],
    wardSystem: [],
    contractorOperational: [
      '登録する際には、SSL 通信を使用することでインターネット上に送信されたデータ(メールアドレス)を暗号化し、第三者による傍受を防止する。',
      '取扱責任者及び取扱うものをあらかじめ指定する',
      'コンピュータに関しては認証システムにより上記2の者しか入室できない場所に設置し、また、ファイアウォールによりネットワーク経由のアクセスも制限し、情報保護を行う。',
    ],
    contractorSystem: [],
    terms: 'standard-13',
    reportFrequency: 'monthly',
  },
}

export const SEED_SYSTEMS: DemoSystem[] = [SEED_000, SEED_001, SEED_004]

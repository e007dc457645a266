/**
 * Word lists for the demo generator: names, companies and markets of a B2B exporter's world.
 * Names in China and Japan are in their own script, with the romanisation used for e-mail addresses.
 */

/** A name in its own script and the ASCII form used in e-mail addresses. */
export type Name = readonly [display: string, ascii: string];

export interface Market {
  code: string;
  weight: number;
  language: string;
  timeZone: string;
  phonePrefix: string;
  tld: string;
  freeMail: readonly string[];
  firstNames: readonly Name[];
  lastNames: readonly Name[];
  /** Company name pattern: `{root}` is replaced by a root word. */
  companyForms: readonly string[];
  companyRoots: readonly string[];
}

const latin = (names: string): Name[] =>
  names.split(' ').map((n) => [
    n,
    n
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace('ß', 'ss'),
  ]);

const pairs = (text: string): Name[] =>
  text.split(' ').map((p) => {
    const [display = '', ascii = ''] = p.split(':');
    return [display, ascii];
  });

export const MARKETS: readonly Market[] = [
  {
    code: 'US',
    weight: 16,
    language: 'en',
    timeZone: 'America/Chicago',
    phonePrefix: '+1',
    tld: 'com',
    freeMail: ['gmail.com', 'outlook.com', 'yahoo.com'],
    firstNames: latin(
      'James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Susan Richard Jessica Joseph Sarah Thomas Karen Daniel Emily Matthew Ashley Kevin Michelle',
    ),
    lastNames: latin(
      'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Thompson White Harris Clark Lewis Walker',
    ),
    companyForms: [
      '{root} Industries Inc.',
      '{root} Supply Co.',
      '{root} Systems LLC',
      '{root} Manufacturing Corp.',
    ],
    companyRoots: [
      'Apex',
      'Summit',
      'Liberty',
      'Great Lakes',
      'Redwood',
      'Keystone',
      'Frontier',
      'Pioneer',
      'Atlas',
      'Cascade',
      'Granite',
      'Harbor',
    ],
  },
  {
    code: 'DE',
    weight: 13,
    language: 'de',
    timeZone: 'Europe/Berlin',
    phonePrefix: '+49',
    tld: 'de',
    freeMail: ['gmx.de', 'web.de', 't-online.de'],
    firstNames: latin(
      'Lukas Anna Jonas Lea Felix Hannah Maximilian Sophie Paul Marie Leon Laura Tobias Julia Jürgen Katrin Stefan Sabine Andreas Petra Matthias Claudia Jörg Birgit',
    ),
    lastNames: latin(
      'Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Weiß',
    ),
    companyForms: [
      '{root} Maschinenbau GmbH',
      '{root} Antriebstechnik AG',
      '{root} Logistik GmbH',
      '{root} & Söhne KG',
    ],
    companyRoots: [
      'Rheinmetall',
      'Schwarzwald',
      'Alpen',
      'Hansa',
      'Nordstern',
      'Isar',
      'Elbe',
      'Bodensee',
      'Harz',
      'Spree',
      'Main',
      'Taunus',
    ],
  },
  {
    code: 'CN',
    weight: 14,
    language: 'zh-CN',
    timeZone: 'Asia/Shanghai',
    phonePrefix: '+86',
    tld: 'cn',
    freeMail: ['qq.com', '163.com', '126.com', 'sina.com'],
    firstNames: pairs(
      '伟:wei 芳:fang 娜:na 秀英:xiuying 敏:min 静:jing 丽:li 强:qiang 磊:lei 军:jun 洋:yang 勇:yong 艳:yan 杰:jie 娟:juan 涛:tao 明:ming 超:chao 秀兰:xiulan 霞:xia 平:ping 刚:gang 桂英:guiying 建华:jianhua',
    ),
    lastNames: pairs(
      '王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 吴:wu 周:zhou 徐:xu 孙:sun 马:ma 朱:zhu 胡:hu 郭:guo 何:he 高:gao 林:lin 罗:luo 郑:zheng 梁:liang 谢:xie 宋:song',
    ),
    companyForms: [
      'Shenzhen {root} Electronics Co., Ltd.',
      'Ningbo {root} Machinery Co., Ltd.',
      'Guangzhou {root} Trading Co., Ltd.',
      'Suzhou {root} Technology Co., Ltd.',
    ],
    companyRoots: [
      'Hongda',
      'Jinlong',
      'Huaxing',
      'Tianyi',
      'Xinhua',
      'Dongfang',
      'Changjiang',
      'Yongsheng',
      'Kaida',
      'Minghui',
      'Ruifeng',
      'Zhongtai',
    ],
  },
  {
    code: 'IN',
    weight: 10,
    language: 'en',
    timeZone: 'Asia/Kolkata',
    phonePrefix: '+91',
    tld: 'in',
    freeMail: ['gmail.com', 'rediffmail.com', 'yahoo.co.in'],
    firstNames: latin(
      'Aarav Priya Vivaan Ananya Aditya Diya Arjun Isha Rohan Kavya Rahul Sneha Vikram Pooja Sanjay Neha Amit Anjali Rajesh Meera Suresh Lakshmi Karan Divya',
    ),
    lastNames: latin(
      'Sharma Verma Patel Gupta Singh Kumar Reddy Iyer Nair Mehta Shah Joshi Rao Das Chopra Malhotra Bose Kapoor Agarwal Banerjee Pillai Desai Menon Saxena',
    ),
    companyForms: [
      '{root} Textiles Pvt. Ltd.',
      '{root} Engineering Ltd.',
      '{root} Exports Pvt. Ltd.',
      '{root} Pharma Ltd.',
    ],
    companyRoots: [
      'Ganga',
      'Sahyadri',
      'Deccan',
      'Indus',
      'Vishal',
      'Shakti',
      'Sagar',
      'Kaveri',
      'Himalaya',
      'Surya',
      'Narmada',
      'Vindhya',
    ],
  },
  {
    code: 'GB',
    weight: 8,
    language: 'en',
    timeZone: 'Europe/London',
    phonePrefix: '+44',
    tld: 'co.uk',
    freeMail: ['gmail.com', 'btinternet.com', 'hotmail.co.uk'],
    firstNames: latin(
      'Oliver Olivia George Amelia Harry Isla Jack Ava Charlie Emily Thomas Sophie Alfie Grace Oscar Lily Henry Freya William Ella Edward Chloe Arthur Poppy',
    ),
    lastNames: latin(
      'Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Hughes Edwards Turner Baker',
    ),
    companyForms: [
      '{root} Components Ltd',
      '{root} Engineering plc',
      '{root} Distribution Ltd',
      '{root} Instruments Ltd',
    ],
    companyRoots: [
      'Thames',
      'Pennine',
      'Severn',
      'Cotswold',
      'Mersey',
      'Highland',
      'Tyne',
      'Wessex',
      'Kestrel',
      'Avon',
      'Solent',
      'Chiltern',
    ],
  },
  {
    code: 'FR',
    weight: 7,
    language: 'fr',
    timeZone: 'Europe/Paris',
    phonePrefix: '+33',
    tld: 'fr',
    freeMail: ['orange.fr', 'free.fr', 'laposte.net'],
    firstNames: latin(
      'Gabriel Louise Léo Jade Raphaël Emma Louis Chloé Lucas Léa Hugo Manon Arthur Inès Jules Camille Adam Zoé Étienne Élodie Théo Margaux Nathan Océane',
    ),
    lastNames: latin(
      'Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefebvre',
    ),
    companyForms: ['{root} Industrie SAS', 'Atelier {root} SARL', '{root} Équipements SA', 'Groupe {root}'],
    companyRoots: [
      'Lumière',
      'Provence',
      'Loire',
      'Azur',
      'Bretagne',
      'Garonne',
      'Alsace',
      'Vosges',
      'Rhône',
      'Seine',
      'Morvan',
      'Jura',
    ],
  },
  {
    code: 'BR',
    weight: 7,
    language: 'pt-BR',
    timeZone: 'America/Sao_Paulo',
    phonePrefix: '+55',
    tld: 'com.br',
    freeMail: ['gmail.com', 'uol.com.br', 'bol.com.br'],
    firstNames: latin(
      'Miguel Helena Arthur Alice Heitor Laura Bernardo Manuela Davi Valentina Gabriel Sophia Pedro Isabella Lucas Júlia Matheus Luiza Rafael Beatriz João Mariana Gustavo Lívia',
    ),
    lastNames: latin(
      'Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro Martins Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Araújo',
    ),
    companyForms: [
      'Grupo {root} Ltda.',
      '{root} Indústria e Comércio Ltda.',
      '{root} Distribuidora S.A.',
      '{root} Agro Ltda.',
    ],
    companyRoots: [
      'Horizonte',
      'Paraná',
      'Atlântico',
      'Cerrado',
      'Serra Azul',
      'Amazonas',
      'Tropical',
      'Ipanema',
      'Ouro Verde',
      'Pantanal',
      'Planalto',
      'Guanabara',
    ],
  },
  {
    code: 'JP',
    weight: 7,
    language: 'ja',
    timeZone: 'Asia/Tokyo',
    phonePrefix: '+81',
    tld: 'co.jp',
    freeMail: ['yahoo.co.jp', 'gmail.com', 'docomo.ne.jp'],
    firstNames: pairs(
      '翔:sho 陽菜:hina 蓮:ren 結衣:yui 大翔:hiroto 美咲:misaki 悠真:yuma さくら:sakura 健太:kenta 彩:aya 拓也:takuya 直美:naomi 誠:makoto 由美:yumi 浩:hiroshi 恵子:keiko 大輔:daisuke 愛:ai 隆:takashi 真由美:mayumi',
    ),
    lastNames: pairs(
      '佐藤:sato 鈴木:suzuki 高橋:takahashi 田中:tanaka 伊藤:ito 渡辺:watanabe 山本:yamamoto 中村:nakamura 小林:kobayashi 加藤:kato 吉田:yoshida 山田:yamada 佐々木:sasaki 山口:yamaguchi 松本:matsumoto 井上:inoue 木村:kimura 林:hayashi',
    ),
    companyForms: [
      '{root} Precision K.K.',
      '{root} Seiki Co., Ltd.',
      '{root} Denki K.K.',
      '{root} Shoji Co., Ltd.',
    ],
    companyRoots: [
      'Sakura',
      'Fuji',
      'Yamato',
      'Hikari',
      'Asahi',
      'Kaze',
      'Tsubasa',
      'Midori',
      'Nishiki',
      'Kawasemi',
      'Hoshi',
      'Shinsei',
    ],
  },
  {
    code: 'ES',
    weight: 4,
    language: 'es',
    timeZone: 'Europe/Madrid',
    phonePrefix: '+34',
    tld: 'es',
    freeMail: ['gmail.com', 'hotmail.es', 'telefonica.net'],
    firstNames: latin(
      'Hugo Lucía Martín Sofía Pablo Martina Daniel María Alejandro Paula Álvaro Julia Diego Carmen Javier Elena',
    ),
    lastNames: latin(
      'García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz Moreno Muñoz',
    ),
    companyForms: ['{root} Industrial S.L.', 'Grupo {root} S.A.', '{root} Componentes S.L.'],
    companyRoots: [
      'Ibérica',
      'Levante',
      'Cantábrico',
      'Mediterráneo',
      'Castilla',
      'Duero',
      'Sierra',
      'Galicia',
    ],
  },
  {
    code: 'MX',
    weight: 4,
    language: 'es',
    timeZone: 'America/Mexico_City',
    phonePrefix: '+52',
    tld: 'com.mx',
    freeMail: ['gmail.com', 'hotmail.com', 'prodigy.net.mx'],
    firstNames: latin(
      'Santiago Ximena Mateo Valeria Sebastián Regina Leonardo Camila Emiliano Fernanda José Guadalupe Luis Andrea Carlos Gabriela',
    ),
    lastNames: latin(
      'Hernández García Martínez López González Pérez Rodríguez Sánchez Ramírez Cruz Flores Gómez Morales Vázquez Reyes Jiménez',
    ),
    companyForms: ['{root} Industrial S.A. de C.V.', 'Grupo {root}', '{root} Maquinaria S.A. de C.V.'],
    companyRoots: ['Azteca', 'Sierra Madre', 'Monterrey', 'Bajío', 'Pacífico', 'Maya', 'Jalisco', 'Sonora'],
  },
  {
    code: 'KR',
    weight: 4,
    language: 'ko',
    timeZone: 'Asia/Seoul',
    phonePrefix: '+82',
    tld: 'co.kr',
    freeMail: ['naver.com', 'daum.net', 'gmail.com'],
    firstNames: pairs(
      '민준:minjun 서연:seoyeon 도윤:doyun 지우:jiwoo 하준:hajun 서윤:seoyun 지호:jiho 하은:haeun 준서:junseo 수아:sua 현우:hyunwoo 지민:jimin',
    ),
    lastNames: pairs(
      '김:kim 이:lee 박:park 최:choi 정:jung 강:kang 조:cho 윤:yoon 장:jang 임:lim 한:han 오:oh',
    ),
    companyForms: ['{root} Industrial Co., Ltd.', '{root} Tech Co., Ltd.', '{root} Corporation'],
    companyRoots: ['Hanbit', 'Daesung', 'Samil', 'Seoyoung', 'Mirae', 'Hanul', 'Donga', 'Jinro'],
  },
  {
    code: 'IT',
    weight: 4,
    language: 'it',
    timeZone: 'Europe/Rome',
    phonePrefix: '+39',
    tld: 'it',
    freeMail: ['libero.it', 'gmail.com', 'virgilio.it'],
    firstNames: latin(
      'Leonardo Sofia Francesco Giulia Alessandro Aurora Lorenzo Alice Mattia Ginevra Andrea Emma Gabriele Giorgia Marco Chiara',
    ),
    lastNames: latin(
      'Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti DeLuca Mancini Costa',
    ),
    companyForms: ['{root} Meccanica S.r.l.', '{root} Industrie S.p.A.', 'Officine {root} S.r.l.'],
    companyRoots: ['Dolomiti', 'Adriatica', 'Toscana', 'Lombarda', 'Vesuvio', 'Etna', 'Padana', 'Ligure'],
  },
];

export const INDUSTRIES = [
  'Machinery',
  'Electronics',
  'Textiles',
  'Chemicals',
  'Automotive parts',
  'Food and beverage',
  'Medical devices',
  'Construction materials',
  'Furniture',
  'Packaging',
  'Logistics',
  'Wholesale',
  'Software',
  'Agriculture',
] as const;

/** Employee counts, most firms small: [min, max, weight]. */
export const COMPANY_SIZES: readonly (readonly [number, number, number])[] = [
  [1, 10, 20],
  [11, 50, 30],
  [51, 200, 25],
  [201, 1000, 15],
  [1001, 5000, 7],
  [5001, 50000, 3],
];

export const TITLES = [
  'Purchasing Manager',
  'Head of Procurement',
  'Buyer',
  'Senior Buyer',
  'CEO',
  'Managing Director',
  'General Manager',
  'Owner',
  'Sales Director',
  'Marketing Manager',
  'Operations Manager',
  'Plant Manager',
  'Engineer',
  'Project Manager',
  'Supply Chain Manager',
  'CFO',
  'Import Manager',
  'Product Manager',
  'Quality Manager',
  'Office Manager',
] as const;

export const CONTACT_TAGS = [
  'trade-show-2026',
  'canton-fair',
  'hannover-messe',
  'newsletter',
  'vip',
  'distributor',
  'oem',
  'key-account',
  'sample-requested',
  'price-sensitive',
  'webinar',
  'partner',
] as const;

export const COMPANY_TAGS = [
  'distributor',
  'oem',
  'end-customer',
  'key-account',
  'competitor-customer',
  'reseller',
] as const;

/** Where a contact came from (contacts.source_channel; campaigns and capture attach to these later). */
export const SOURCE_CHANNELS: readonly (readonly [string, number])[] = [
  ['trade_show', 22],
  ['website', 20],
  ['email', 12],
  ['referral', 10],
  ['ads', 8],
  ['seminar', 6],
  ['cold_call', 8],
  ['partner', 6],
  ['direct_mail', 3],
  ['import', 5],
];

export const TEAMS = [
  { key: 'emea', name: 'Sales EMEA', markets: ['DE', 'GB', 'FR', 'ES', 'IT', 'IN'] },
  { key: 'americas', name: 'Sales Americas', markets: ['US', 'BR', 'MX'] },
  { key: 'apac', name: 'Sales APAC', markets: ['CN', 'JP', 'KR'] },
] as const;
export const MARKETING_TEAM = 'Marketing';

import { ftsQuery, tsQuery, tsvectorLiteral } from './catalog-documents.js';
import { highlightDescription, highlightTitle, SNIPPET_LENGTH } from './highlighter.js';
import { matches, normalise, parseQuery, tokenise } from './tokeniser.js';

const matchesText = (text: string, q: string) => matches(new Set(tokenise(text)), parseQuery(q));

describe('tokenise', () => {
  it('indexes every character and character pair of a Chinese run, and the longer dictionary words', () => {
    const tokens = tokenise('待处理的交通数据');
    for (const t of ['待', '处', '数', '待处', '处理', '交通', '数据', '通数', '待处理'])
      expect(tokens).toContain(t);
    // Two-character dictionary words are already bigrams: not added twice.
    expect(tokens.filter((t) => t === '交通')).toHaveLength(1);
  });

  it('finds the segmenter’s longer words (北京市, 气象观测)', () => {
    expect(tokenise('北京市医保结算数据')).toContain('北京市');
    expect(tokenise('气象观测数据集')).toContain('气象观测');
  });

  it('keeps English words and numbers as words, lower-cased, and folds full-width forms (NFKC)', () => {
    expect(tokenise('Real-time Traffic Flow, 2024 edition')).toEqual([
      'real',
      'time',
      'traffic',
      'flow',
      '2024',
      'edition',
    ]);
    expect(tokenise('ＡＢＣ１２３ 交通')).toEqual(['abc123', '交', '通', '交通']);
    expect(normalise('Ｄａｔａ')).toBe('data');
  });

  it('separates mixed scripts and drops punctuation and symbols', () => {
    expect(tokenise('GDP数据（2023）<b>')).toEqual(['gdp', '数', '据', '数据', '2023', 'b']);
    expect(tokenise('!!! ，。 ---')).toEqual([]);
  });
});

describe('parseQuery and matches', () => {
  it('finds two-character words and words inside compounds', () => {
    expect(matchesText('北京市医保结算数据', '医保')).toBe(true);
    expect(matchesText('城市交通卡口流量', '交通')).toBe(true);
    expect(matchesText('工单待处理明细', '处理')).toBe(true);
    expect(matchesText('工单待处理明细', '处置')).toBe(false);
  });

  it('cuts a longer query into words that need not be adjacent in the listing', () => {
    const q = parseQuery('交通数据');
    expect(q.required.map((t) => t.token)).toEqual(['交通', '数据']);
    expect(matchesText('交通运输与物流数据', '交通数据')).toBe(true);
    expect(matchesText('交通运输与物流信息', '交通数据')).toBe(false);
  });

  it('asks a single character for itself', () => {
    expect(matchesText('电力负荷', '电')).toBe(true);
    expect(matchesText('气象', '电')).toBe(false);
  });

  it('requires every English word, and lets the last one typed match as a prefix', () => {
    expect(matchesText('Hourly traffic volume', 'traffic volume')).toBe(true);
    expect(matchesText('Hourly traffic volume', 'traffic weather')).toBe(false);
    expect(parseQuery('traf').required).toEqual([{ token: 'traf', prefix: true }]);
    expect(matchesText('Hourly traffic volume', 'traf')).toBe(true);
    // A space after it: the word is finished.
    expect(matchesText('Hourly traffic volume', 'traf ')).toBe(false);
    // Too short to be a prefix.
    expect(parseQuery('tr').required).toEqual([{ token: 'tr', prefix: false }]);
  });

  it('gives the same key to queries that mean the same', () => {
    expect(parseQuery('  Traffic   数据 ').key).toBe(parseQuery('数据 traffic ').key);
    expect(parseQuery('traffic').key).not.toBe(parseQuery('traffic ').key);
  });

  it('has no terms for an empty or punctuation-only query', () => {
    expect(parseQuery('').required).toEqual([]);
    expect(parseQuery(' ，。!').required).toEqual([]);
  });
});

describe('what the databases are given', () => {
  it('an FTS5 expression and a tsquery with the same terms', () => {
    const q = parseQuery('医保 traf');
    expect(ftsQuery(q)).toBe('"traf"* AND "医保"');
    expect(tsQuery(q)).toBe("'traf':* & '医保'");
  });

  it('boosts whole dictionary words without requiring them', () => {
    const q = parseQuery('气象观测');
    expect(q.boosts).toContain('气象观测');
    expect(ftsQuery(q)).toMatch(/ AND \("[^"]+" OR .*"气象观测".*\)$/);
    expect(tsQuery(q)).toMatch(/ & \('[^']+' \| .*'气象观测'.*\)$/);
  });

  it('a tsvector literal with positions and field weights', () => {
    expect(tsvectorLiteral({ title: ['交通', 'data'], body: ['data'], meta: ['acme'] })).toBe(
      "'交通':1A 'data':2A,3B 'acme':4C",
    );
  });
});

describe('highlights', () => {
  it('marks Chinese words, also inside compounds, and English words and prefixes', () => {
    expect(highlightTitle('工单待处理明细', parseQuery('处理'))).toBe('工单待<mark>处理</mark>明细');
    expect(highlightTitle('Hourly Traffic volume', parseQuery('traf'))).toBe(
      'Hourly <mark>Traffic</mark> volume',
    );
    expect(highlightTitle('交通运输与物流数据', parseQuery('交通数据'))).toBe(
      '<mark>交通</mark>运输与物流<mark>数据</mark>',
    );
  });

  it('marks the original text where normalisation changed it (full-width letters)', () => {
    expect(highlightTitle('ＤＡＴＡ集', parseQuery('data'))).toBe('<mark>ＤＡＴＡ</mark>集');
  });

  it('escapes every HTML-significant character, so <mark> is the only markup', () => {
    const html = highlightTitle('<script>alert("x")</script> & data', parseQuery('data script'));
    expect(html).toBe(
      '&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; <mark>data</mark>',
    );
    expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>"]/);
  });

  it('cuts a long description to a snippet around the first match', () => {
    const text = '前言'.repeat(200) + '医保结算数据' + '附录'.repeat(200);
    const snippet = highlightDescription(text, parseQuery('医保'));
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('<mark>医保</mark>');
    expect(snippet.replace(/<\/?mark>|…/g, '').length).toBeLessThanOrEqual(SNIPPET_LENGTH);
  });
});

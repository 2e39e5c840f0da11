import { Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n/i18n';

export interface BarSeries {
  name: string;
  data: number[];
}

interface Props {
  /** What the chart shows, in words: the container's aria-label; the table below it holds every figure. */
  label: string;
  categories: string[];
  series: BarSeries[];
  stacked?: boolean;
  horizontal?: boolean;
}

/**
 * A bar chart drawn by ECharts, which is loaded only when a chart is first shown. The chart is an image to assistive
 * technology (`role="img"` with `label`); the table the page puts below it is its text alternative.
 */
export function Chart({ label, categories, series, stacked, horizontal }: Props) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const empty = categories.length === 0;
  useEffect(() => {
    if (empty) return;
    let disposed = false;
    let dispose = () => {};
    void import('./echarts').then(({ echarts }) => {
      if (disposed || !ref.current) return;
      const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
      const category = { type: 'category' as const, data: categories, axisLabel: { hideOverlap: true } };
      const value = { type: 'value' as const, minInterval: 1 };
      chart.setOption({
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { show: series.length > 1, top: 0 },
        grid: { left: 8, right: 16, top: series.length > 1 ? 32 : 12, bottom: 8, containLabel: true },
        xAxis: horizontal ? value : category,
        yAxis: horizontal ? { ...category, inverse: true } : value,
        series: series.map((s) => ({
          type: 'bar',
          name: s.name,
          data: s.data,
          stack: stacked ? 'all' : undefined,
          barMaxWidth: 56,
        })),
      });
      const resize = () => chart.resize();
      window.addEventListener('resize', resize);
      dispose = () => {
        window.removeEventListener('resize', resize);
        chart.dispose();
      };
    });
    return () => {
      disposed = true;
      dispose();
    };
  }, [empty, categories, series, stacked, horizontal]);
  if (empty) return <Typography.Text type="secondary">{t('regulator.chart.empty')}</Typography.Text>;
  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height: 260 }} />;
}

/** Sums per category across series, for the chart's spoken summary. */
export function chartSummary(title: string, categories: string[], series: BarSeries[], sep: string): string {
  const totals = categories.map((c, i) => `${c} ${series.reduce((sum, s) => sum + (s.data[i] ?? 0), 0)}`);
  return `${title}${sep}${totals.join(sep === '：' ? '；' : '; ')}`;
}

/** Groups rows into categories × series for a bar chart (a missing cell is 0). */
export function pivot<R>(
  rows: R[],
  category: (row: R) => string,
  seriesOf: (row: R) => string,
  value: (row: R) => number,
): { categories: string[]; series: BarSeries[] } {
  const categories = [...new Set(rows.map(category))];
  const names = [...new Set(rows.map(seriesOf))];
  const series = names.map((name) => ({
    name,
    data: categories.map((c) =>
      rows.filter((r) => category(r) === c && seriesOf(r) === name).reduce((sum, r) => sum + value(r), 0),
    ),
  }));
  return { categories, series };
}

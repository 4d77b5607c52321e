/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { DailyVolume } from '../services/usage';
import type { PageContext } from './layout';

/** A series of a bar chart: its values' key in each day, its colour, its name in the legend. */
export interface Series<K extends string> {
  key: K;
  color: string;
  label: string;
}

/** Bar colours by status, bottom to top, also shown in the legend. */
export const SERIES = [
  { key: 'delivered', color: '#2e7d32' },
  { key: 'sent', color: '#1f6feb' },
  { key: 'queued', color: '#9aa4ae' },
  { key: 'failed', color: '#c62828' },
] as const;

/** Each day's slot in the drawing's own units; the drawing stretches to the width it is given. */
const SLOT = 10;
const HEIGHT = 100;

/** The smallest of 1, 2, 5, 10, 20, 50, … at or above `n`: the top of the vertical axis. */
export function axisTop(n: number): number {
  for (let step = 1; ; step *= 10) for (const f of [1, 2, 5]) if (f * step >= n) return f * step;
}

/** Which days are labelled below the bars: the last, and every 7th before it. */
const labelled = (i: number, days: number) => (days - 1 - i) % 7 === 0;

/** A bar chart's labels: the vertical axis's title, the horizontal one's, the chart's and a day's. */
export interface ChartText<D> {
  axis: string;
  xAxis: string;
  title: (days: number, total: number) => string;
  day: (d: D) => string;
}

/**
 * Days' values as stacked bars, one series on another. The bars are inline SVG stretched to the width
 * there is; the axes' numbers and days are HTML text beside and below them, so they stay readable on a
 * phone.
 */
export function BarChart<K extends string, D extends { day: string } & Record<K, number>>({
  ctx: { fmt },
  days,
  series,
  text,
}: {
  ctx: PageContext;
  days: readonly D[];
  series: readonly Series<K>[];
  text: ChartText<D>;
}) {
  const total = (d: D) => series.reduce((n, s) => n + d[s.key], 0);
  const all = days.reduce((n, d) => n + total(d), 0);
  const top = axisTop(Math.max(1, ...days.map(total)));
  const ticks = top % 2 === 0 ? [top, top / 2, 0] : [top, 0];
  const scale = HEIGHT / top;
  const bar = SLOT * 0.7;
  return (
    <figure class="chart">
      <div class="plot">
        <span class="axis-title" aria-hidden="true">
          {text.axis}
        </span>
        <div class="y-axis" aria-hidden="true">
          {ticks.map((v) => (
            <span class="tick" style={`top:${100 - (v / top) * 100}%`}>
              {fmt.number(v)}
            </span>
          ))}
        </div>
        <svg
          class="chart"
          viewBox={`0 0 ${days.length * SLOT} ${HEIGHT}`}
          preserveAspectRatio="none"
          role="img"
          aria-labelledby="chart-title"
          data-total={String(all)}
        >
          <title id="chart-title">{text.title(days.length, all)}</title>
          {ticks.map((v) => (
            <line
              x1="0"
              x2={days.length * SLOT}
              y1={HEIGHT - v * scale}
              y2={HEIGHT - v * scale}
              stroke={v === 0 ? '#8c959f' : '#e4e8ec'}
              vector-effect="non-scaling-stroke"
            />
          ))}
          {days.map((d, i) => {
            let y = HEIGHT;
            const x = i * SLOT + (SLOT - bar) / 2;
            return (
              <g data-day={d.day} data-total={String(total(d))}>
                <title>{text.day(d)}</title>
                {series.map((s) => {
                  const h = d[s.key] * scale;
                  y -= h;
                  return h > 0 ? (
                    <rect
                      x={x.toFixed(2)}
                      y={y.toFixed(2)}
                      width={bar.toFixed(2)}
                      height={h.toFixed(2)}
                      fill={s.color}
                    />
                  ) : null;
                })}
              </g>
            );
          })}
        </svg>
        <div class="x-axis" aria-hidden="true" style={`grid-template-columns:repeat(${days.length},1fr)`}>
          {days.map((d, i) =>
            labelled(i, days.length) ? (
              <span
                style={`grid-column:${i + 1};justify-self:${i === days.length - 1 ? 'end' : i < 3 ? 'start' : 'center'}`}
              >
                {fmt.day(d.day)}
              </span>
            ) : null,
          )}
        </div>
        <span class="axis-title x-title" aria-hidden="true">
          {text.xAxis}
        </span>
      </div>
      <figcaption class="legend">
        {series.map((s) => (
          <span>
            <span class="swatch" style={`background:${s.color}`} />
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** The overview's recipients of the last days, by status. */
export function VolumeChart({ ctx, days }: { ctx: PageContext; days: readonly DailyVolume[] }) {
  const { t, fmt } = ctx;
  return (
    <BarChart
      ctx={ctx}
      days={days}
      series={SERIES.map((s) => ({ ...s, label: t(`status.${s.key}`) }))}
      text={{
        axis: t('overview.recipients'),
        xAxis: t('chart.xAxis'),
        title: (n, total) => t('chart.title', { days: n, total }),
        day: (d) => t('chart.day', { ...d, day: fmt.day(d.day) }),
      }}
    />
  );
}

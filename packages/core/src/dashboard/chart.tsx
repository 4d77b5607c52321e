/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { DailyVolume } from '../services/usage';
import type { PageContext } from './layout';

/** Bar colours by status, bottom to top, also shown in the legend. */
export const SERIES = [
  { key: 'delivered', color: '#2e7d32' },
  { key: 'sent', color: '#1f6feb' },
  { key: 'queued', color: '#9aa4ae' },
  { key: 'failed', color: '#c62828' },
] as const;

const WIDTH = 600;
const HEIGHT = 200;
const TOP = 12;
const BOTTOM = 22;

/** Daily volume by status as stacked bars, in inline SVG (no script, no external asset). */
export function VolumeChart({ ctx: { t, fmt }, days }: { ctx: PageContext; days: readonly DailyVolume[] }) {
  const total = (d: DailyVolume) => d.delivered + d.sent + d.queued + d.failed;
  const max = Math.max(1, ...days.map(total));
  const slot = WIDTH / days.length;
  const bar = Math.max(2, slot * 0.7);
  const scale = (HEIGHT - TOP - BOTTOM) / max;
  const all = days.reduce((n, d) => n + total(d), 0);
  return (
    <figure style="margin:0">
      <svg
        class="chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="chart-title"
        data-total={String(all)}
      >
        <title id="chart-title">{t('chart.title', { days: days.length, total: all })}</title>
        <line x1="0" y1={HEIGHT - BOTTOM} x2={WIDTH} y2={HEIGHT - BOTTOM} stroke="#8c959f" />
        <text x="0" y={TOP - 2} font-size="11" fill="#57606a">
          {t('chart.max', { max })}
        </text>
        {days.map((d, i) => {
          let y = HEIGHT - BOTTOM;
          const x = i * slot + (slot - bar) / 2;
          return (
            <g data-day={d.day} data-total={String(total(d))}>
              <title>{t('chart.day', { ...d, day: fmt.day(d.day) })}</title>
              {SERIES.map((s) => {
                const h = d[s.key] * scale;
                y -= h;
                return h > 0 ? (
                  <rect
                    x={x.toFixed(1)}
                    y={y.toFixed(1)}
                    width={bar.toFixed(1)}
                    height={h.toFixed(1)}
                    fill={s.color}
                  />
                ) : null;
              })}
              {i % 7 === days.length % 7 || i === days.length - 1 ? (
                <text
                  x={(x + bar / 2).toFixed(1)}
                  y={HEIGHT - 6}
                  font-size="10"
                  text-anchor="middle"
                  fill="#57606a"
                >
                  {fmt.day(d.day)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption class="legend">
        {SERIES.map((s) => (
          <span>
            <span class="swatch" style={`background:${s.color}`} />
            {t(`status.${s.key}`)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

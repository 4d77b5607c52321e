/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { Campaigns } from '../../services/campaigns/campaigns';
import type { PageContext } from '../layout';

export type CampaignView = Awaited<ReturnType<Campaigns['get']>>;

/** A campaign's recipients by where they are, each part with its colour (left out for opting out: `suppressed`). */
const PARTS = [
  ['delivered', '#2e7d32'],
  ['sent', '#0b5cad'],
  ['queued', '#8c959f'],
  ['failed', '#b42318'],
  ['expired', '#b76e00'],
  ['cancelled', '#3d4752'],
  ['suppressed', '#7b5ea7'],
] as const;

/** Each part's count: the campaign's progress, and the numbers left out because they opted out. */
export const progressCounts = (c: CampaignView) => ({ ...c.progress, suppressed: c.excluded.opted_out });

/**
 * A campaign's progress as one stacked bar (for the eye only) and its legend with each part's number
 * (what a screen reader reads); `compact` leaves out the empty parts' legend.
 */
export function ProgressBar({
  ctx: { t, fmt },
  campaign,
  compact,
}: {
  ctx: PageContext;
  campaign: CampaignView;
  compact?: boolean;
}) {
  const counts = progressCounts(campaign);
  const total = PARTS.reduce((n, [part]) => n + counts[part], 0);
  const shown = PARTS.filter(([part]) => !compact || counts[part] > 0);
  return (
    <div class="progress" data-campaign={campaign.id}>
      <div class="meter" aria-hidden="true">
        {PARTS.filter(([part]) => counts[part] > 0).map(([part, colour]) => (
          <span
            data-part={part}
            style={`width:${((counts[part] / total) * 100).toFixed(2)}%;background:${colour}`}
          />
        ))}
      </div>
      <ul class="legend" aria-label={t('campaigns.progressOf', { name: campaign.name })}>
        {shown.map(([part, colour]) => (
          <li data-part={part}>
            <span class="swatch" style={`background:${colour}`} aria-hidden="true" />
            {t(`status.${part}`)} <strong>{fmt.number(counts[part])}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The styles of the campaign and segment pages (the bar, the legend, placeholders, the previews). */
export const CAMPAIGN_STYLE = `
.meter{display:flex;height:.9rem;border-radius:.45rem;overflow:hidden;background:#e4e8ec;min-width:8rem}
.meter span{display:block;height:100%}
.progress ul.legend{list-style:none;padding:0;margin:.35rem 0 0;display:flex;flex-wrap:wrap;gap:.1rem .9rem;font-size:.85rem}
.progress ul.legend li{white-space:nowrap}
ul.placeholders{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.4rem}
ul.placeholders code{background:#f0f3f6;border:1px solid #d8dee4;border-radius:.3rem;padding:.1rem .35rem}
ul.placeholders button{padding:.15rem .5rem;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem}
ol.previews{padding-left:1.25rem}ol.previews li{margin-bottom:.5rem}
ol.previews blockquote{margin:.2rem 0;padding:.4rem .6rem;background:#f6f8fa;border-left:3px solid #0b5cad;white-space:pre-wrap;overflow-wrap:anywhere}
@media (max-width:40rem){table.stack td.num{text-align:left}table.stack td>.status{justify-self:start}}
fieldset.choices{max-height:16rem;overflow:auto}fieldset.choices label{display:block}
.count{font-size:1.1rem;font-weight:600}
a.button{display:inline-block;padding:.45rem .9rem;border-radius:.35rem;background:#0b5cad;color:#fff;text-decoration:none}
`;

/** The styles above, for a page's content (nonce'd, as the page's own). */
export const CampaignStyle = ({ ctx }: { ctx: PageContext }) => (
  <style nonce={ctx.nonce}>{raw(CAMPAIGN_STYLE)}</style>
);

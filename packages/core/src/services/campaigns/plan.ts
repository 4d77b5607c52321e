import type { Principal } from '../../auth/principal';
import { parseTemplate } from '../../domain/message-template';
import type { TrafficClass } from '../../domain/traffic-class';
import { GatewayError, invalidField } from '../../errors';
import { yieldToEventLoop } from '../../event-loop';
import type { Draft, Drafter, DraftOptions } from '../send/draft';
import type { Audience, AudienceMember } from './audience';

export interface CampaignText {
  message: string;
  sender_id?: string | undefined;
  schedule_time?: string | undefined;
  webhook_url?: string | undefined;
  smart_encoding?: boolean | undefined;
  traffic_class?: TrafficClass | undefined;
}

/** The request field that chose each kind of audience. */
const AUDIENCE_FIELD = { segment: 'segment_id', contacts: 'contact_ids', recipients: 'recipients' } as const;

/** A priced campaign: one draft per distinct personalised text, and their sum (minor units). */
export interface CampaignPlan {
  drafts: Draft[];
  recipients: number;
  total: number;
}

/** Opted-out numbers named in a refusal of a campaign whose whole audience opted out. */
const MAX_NAMED = 100;

/** Members rendered, or recipients drafted, between turns of the event loop (about 10 ms of work). */
const MEMBERS_PER_TURN = 1000;

/**
 * Renders the template for every member and groups them by their text; each group is drafted like a
 * send (sender ID, numbers, routes, encoding, length, schedule, price), so each recipient pays for its
 * own text's segments. Pure but for the drafter's checks; a large audience is planned in turns of the
 * event loop, so it does not hold other requests.
 */
export async function planCampaign(
  draft: Drafter,
  principal: Principal,
  input: CampaignText,
  audience: Audience,
  now: number,
  maxRecipients: number,
): Promise<CampaignPlan> {
  const template = parseTemplate(input.message);
  if (audience.kind === 'recipients' && !template.allDefaulted)
    throw invalidField(
      'message',
      'needs a default for each placeholder, as {name|mteja}: phone numbers have no contact to fill it',
      'With phone numbers as the audience there is no contact to fill a placeholder: give each one a default, as {name|mteja}',
    );
  const audienceField = AUDIENCE_FIELD[audience.kind];
  if (audience.members.length === 0 && audience.optedOut.length > 0)
    throw new GatewayError(
      'RECIPIENT_OPTED_OUT',
      `Everyone in the audience has opted out (${audience.optedOut.length}): nothing was sent`,
      {
        suppressed: audience.optedOut
          .slice(0, MAX_NAMED)
          .map((phone) => ({ phone, reason: 'opted_out' as const })),
      },
    );
  if (audience.members.length === 0)
    throw invalidField(
      audienceField,
      `has no active contact to send to (${audience.excludedInactive} inactive left out)`,
      'The audience has no active contact to send to',
    );
  if (audience.members.length > maxRecipients)
    throw invalidField(
      audienceField,
      `has ${audience.members.length} recipients; at most ${maxRecipients} are allowed`,
      `At most ${maxRecipients} recipients per campaign`,
    );
  // Opted-out members were left out of the audience already (`optedOut`): not looked up again.
  const drafting: DraftOptions = { maxRecipients, suppress: false };
  const byText = new Map<string, { recipients: string[]; first: AudienceMember }>();
  for (const [i, m] of audience.members.entries()) {
    if (i > 0 && i % MEMBERS_PER_TURN === 0) await yieldToEventLoop();
    const text = template.render(m.values ?? { phone_number: m.phone });
    const group = byText.get(text);
    if (group) group.recipients.push(m.phone);
    else byText.set(text, { recipients: [m.phone], first: m });
  }
  const drafts: Draft[] = [];
  let drafted = 0;
  for (const [message, { recipients, first }] of byText) {
    try {
      // The promotional rules and sender IDs are looked up with the first text; the others reuse them.
      const d = await draft(principal, { ...input, message, recipients }, now, drafting);
      drafting.promotion ??= d.promotion;
      drafting.ownSenderIds ??= d.ownSenderIds;
      drafts.push(d);
    } catch (e) {
      if (e instanceof GatewayError && e.code === 'MESSAGE_TOO_LONG')
        throw await tooLong(e as GatewayError<'MESSAGE_TOO_LONG'>, first);
      throw e;
    }
    drafted += recipients.length;
    if (drafted >= MEMBERS_PER_TURN) {
      drafted = 0;
      await yieldToEventLoop();
    }
  }
  /**
   * A text refused as too long, blamed on the template when it is too long with every value left out,
   * else on the contact's field that, left out, lets it fit (the one with the longest value when none
   * alone does).
   */
  async function tooLong(
    error: GatewayError<'MESSAGE_TOO_LONG'>,
    member: AudienceMember,
  ): Promise<GatewayError> {
    const fits = async (message: string) => {
      try {
        await draft(principal, { ...input, message, recipients: [member.phone] }, now, drafting);
      } catch (e) {
        if (e instanceof GatewayError && e.code === 'MESSAGE_TOO_LONG') return false;
      }
      return true;
    };
    const values = member.values;
    if (member.contactId === null || values === null || !(await fits(template.render({})))) return error;
    const filled = template.fields.filter((f) => values[f]?.trim());
    let field = filled.reduce((a, b) => ((values[b]?.length ?? 0) > (values[a]?.length ?? 0) ? b : a));
    for (const f of filled)
      if (await fits(template.render({ ...values, [f]: null }))) {
        field = f;
        break;
      }
    return new GatewayError(
      'MESSAGE_TOO_LONG',
      `The text for contact ${member.contactId} exceeds the length limit because of its ${field}`,
      { ...error.details, contact_id: member.contactId, field },
    );
  }

  return {
    drafts,
    recipients: audience.members.length,
    total: drafts.reduce((sum, d) => sum + d.total, 0),
  };
}

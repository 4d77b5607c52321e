import { expect, it } from 'vitest';
import { deriveMessageStatus, type RecipientStatus } from './message-status';

it.each<[RecipientStatus[], string]>([
  [['delivered'], 'delivered'],
  [['delivered', 'delivered'], 'delivered'],
  [['failed', 'failed'], 'failed'],
  [['delivered', 'failed'], 'partially_delivered'],
  [['sending', 'delivered'], 'queued'],
  [['sent', 'delivered'], 'sent'],
  [['scheduled', 'scheduled'], 'scheduled'],
  [['queued', 'sent', 'failed'], 'queued'],
  [['expired', 'expired'], 'expired'],
  [['expired', 'failed'], 'failed'],
  [['expired', 'delivered'], 'partially_delivered'],
  [['sent', 'expired'], 'sent'],
])('%j → %s', (statuses, status) => {
  expect(deriveMessageStatus(statuses)).toBe(status);
});

/**
 * What a message is for. `transactional` (the default) and `promotional` messages are not sent to
 * numbers the account has opted out; `otp` (one-time codes the subscriber asked for) always is.
 */
export const TRAFFIC_CLASSES = ['transactional', 'promotional', 'otp'] as const;

export type TrafficClass = (typeof TRAFFIC_CLASSES)[number];

/** Whether a message of this class skips opted-out numbers. */
export const suppressesOptOuts = (c: TrafficClass) => c !== 'otp';

/** The part of split-sms (a benchmark and test peer, no types of its own) that we call. */
declare module 'split-sms' {
  interface SplitResult {
    characterSet: 'GSM' | 'Unicode';
    parts: { content: string; length: number; bytes: number }[];
    length: number;
    bytes: number;
    remainingInPart: number;
  }
  const splitSms: { split(text: string): SplitResult };
  export default splitSms;
}

export { type AnalyzeOptions, analyzeMessage, type Encoding, LIMITS, type MessageAnalysis } from './analyze';
export { GSM7_BASIC, GSM7_EXTENSION } from './gsm7-alphabet';
export { NATIONAL_LANGUAGES, NATIONAL_SHIFT_TABLES, type NationalLanguage } from './national-shift';
export { decodeGsm7, encodeGsm7, fillBitsAfter, packSeptets, unpackSeptets } from './septets';
export { type Replacement, replaceLookalikes, SMART_REPLACEMENTS } from './smart-encoding';
export { decodeUcs2, encodeUcs2 } from './ucs2';
export { type UdhOptions, userDataHeader, userDataParts } from './udh';

export { analyzeMessage, type Encoding, LIMITS, type MessageAnalysis } from './analyze';
export { GSM7_BASIC, GSM7_EXTENSION, gsm7Septets } from './gsm7-alphabet';

// What other folders may use of src/verify/: they import it from here only.
export { SAMPLE_PER_TOKEN, buildProbes, chooseCanary } from './build-probes.js';
export { describeMismatches, describeProbe, observedWord } from './describe-mismatch.js';
export { selectVerifiable } from './select-verifiable.js';
export { judgeProbe, summariseVerify } from './summarise-verify.js';
export type {
  ProbeOutcome,
  SealedEntry,
  TokenVerification,
  VerifyCandidate,
  VerifyReport,
} from './types.js';

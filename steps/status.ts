// How a scenario says "not passed, not failed": a status attachment the reports read.
export const STATUS_MEDIA_TYPE = "application/vnd.joinleaf.status+json";

/** UNSUPPORTED and NOT TESTABLE mark skipped scenarios; TIMEOUT and CRASH mark failed ones. */
export type SkipStatus = "UNSUPPORTED" | "NOT TESTABLE" | "TIMEOUT" | "CRASH";

export interface StatusNote {
  status: SkipStatus;
  reason: string;
  /**
   * UNSUPPORTED because the provider has no protocol entry with the feature the rule is about (no
   * connect data, no rooted control, ...): the rule does not apply to it. Absent: the driver or
   * testbed could not make the scenario's conditions, so the rule went unchecked.
   */
  notApplicable?: boolean;
}

export function statusNote(status: SkipStatus, reason: string, notApplicable = false): string {
  return JSON.stringify({ status, reason, ...(notApplicable ? { notApplicable } : {}) } satisfies StatusNote);
}

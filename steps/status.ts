// How a scenario says "not passed, not failed": a status attachment the reports read.
export const STATUS_MEDIA_TYPE = "application/vnd.joinleaf.status+json";

/** UNSUPPORTED and NOT TESTABLE mark skipped scenarios; TIMEOUT and CRASH mark failed ones. */
export type SkipStatus = "UNSUPPORTED" | "NOT TESTABLE" | "TIMEOUT" | "CRASH";

export interface StatusNote {
  status: SkipStatus;
  reason: string;
}

export function statusNote(status: SkipStatus, reason: string): string {
  return JSON.stringify({ status, reason } satisfies StatusNote);
}

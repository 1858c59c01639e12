export declare const EDITIONS: string[];
export declare function defaultRunName(driver: string, edition: string, partial?: string, dryRun?: boolean): string;
export declare function profile(o: {
  driver: string;
  edition?: string;
  run?: string;
  tags?: string;
  quiet?: boolean;
  driverOptions?: Record<string, string>;
  reportsRoot?: string;
  paths?: string[];
  partial?: string;
  dryRun?: boolean;
  outDir?: string;
  expectations?: string;
}): Record<string, unknown>;
export declare function reportsRoot(): string;

export declare const EDITIONS: string[];
export declare function defaultRunName(driver: string, edition: string, tags?: string): string;
export declare function profile(o: {
  driver: string;
  edition?: string;
  run?: string;
  tags?: string;
  quiet?: boolean;
  driverOptions?: Record<string, string>;
  reportsRoot?: string;
  paths?: string[];
}): Record<string, unknown>;
export declare function reportsRoot(): string;

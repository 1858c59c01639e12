export declare const EDITIONS: string[];
export declare function defaultRunName(driver: string, edition: string): string;
export declare function profile(o: {
  driver: string;
  edition?: string;
  run?: string;
  tags?: string;
  quiet?: boolean;
  driverOptions?: Record<string, string>;
  reportsRoot?: string;
}): Record<string, unknown>;

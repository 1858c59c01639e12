export declare const PACKAGE_ROOT: string;
export declare const COMPILED: boolean;
export declare const BIN: string;
export declare function packageFile(...parts: string[]): string;

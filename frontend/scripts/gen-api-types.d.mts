export const SNAPSHOT: string;
export const OUTPUT: string;
export function generateApiTypes(jsonText: string): Promise<string>;
export function committedAndGenerated(): Promise<{ committed: string; generated: string }>;

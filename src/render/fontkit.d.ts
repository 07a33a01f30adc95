// fontkit ships no types; bridgefit only asks a font which characters it has.
declare module 'fontkit' {
  export function create(buffer: Buffer, postscriptName?: string): unknown;
}

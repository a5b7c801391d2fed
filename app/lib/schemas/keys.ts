/** The keys of a label map, as the non-empty tuple z.enum takes: the labels list the values. */
export const labelKeys = <K extends string>(labels: Record<K, unknown>) => Object.keys(labels) as [K, ...K[]];

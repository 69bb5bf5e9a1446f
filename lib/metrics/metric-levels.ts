// vCenter's statistics levels: real-time 20 s samples kept an hour, then averages over 5
// minutes kept a day, 30 minutes kept a week, 2 hours kept a month and a day kept a year. Each
// level is rolled up from the one before it. Shared by the engine (rollups, purge) and the charts.
export interface MetricLevel {
  level: number;
  label: string;
  intervalSeconds: number;
  keepSeconds: number;
}

const DAY = 86_400;

export const METRIC_LEVELS: readonly MetricLevel[] = [
  { level: 0, label: "20 seconds", intervalSeconds: 20, keepSeconds: 3_600 },
  { level: 1, label: "5 minutes", intervalSeconds: 300, keepSeconds: DAY },
  { level: 2, label: "30 minutes", intervalSeconds: 1_800, keepSeconds: 7 * DAY },
  { level: 3, label: "2 hours", intervalSeconds: 7_200, keepSeconds: 30 * DAY },
  { level: 4, label: "1 day", intervalSeconds: DAY, keepSeconds: 365 * DAY },
];

/** The finest level that still holds data `seconds` ago, so a chart reads as few rows as it can. */
export function levelFor(fromSecondsAgo: number): MetricLevel {
  return METRIC_LEVELS.find((level) => level.keepSeconds >= fromSecondsAgo) ?? METRIC_LEVELS[METRIC_LEVELS.length - 1]!;
}

"use client";
// One performance chart: several series of one unit over time, with a legend, a tooltip that
// reads every series at the pointer, and the range's bounds as the time axis (Recharts).
import type { ReactNode } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ChartSeries<Point> {
  key: string;
  label: string;
  value: (point: Point) => number | null;
  color: string;
}

export interface PerformanceChartProps<Point extends { time: string }> {
  title: string;
  unit: string;
  points: Point[];
  series: ChartSeries<Point>[];
  from: number;
  to: number;
  /** Percent charts run from 0 to 100. */
  percent?: boolean;
  /** A custom range is drawn whole; a last-n range from its first sample, so young data is not a sliver. */
  fromFirstSample?: boolean;
  /** Controls beside the title (Chart Options). */
  options?: ReactNode;
}

const format = (value: number, unit: string) =>
  `${value.toLocaleString(undefined, { maximumFractionDigits: value < 10 ? 1 : 0 })}${unit === "%" ? " %" : ` ${unit}`}`;

function timeFormatter(spanMs: number) {
  const options: Intl.DateTimeFormatOptions =
    spanMs <= 15 * 60_000
      ? { hour: "2-digit", minute: "2-digit", second: "2-digit" }
      : spanMs <= 2 * 86_400_000
        ? { hour: "2-digit", minute: "2-digit" }
        : { month: "short", day: "numeric" };
  return (value: number) => new Date(value).toLocaleString(undefined, options);
}

export function PerformanceChart<Point extends { time: string }>({ title, unit, points, series, from, to, percent, fromFirstSample, options }: PerformanceChartProps<Point>) {
  const data = points.map((point) => ({ t: Date.parse(point.time), ...Object.fromEntries(series.map((line) => [line.key, line.value(point)])) }));
  const start = fromFirstSample && data.length > 0 ? Math.max(from, data[0]!.t) : from;
  const tick = timeFormatter(to - start);
  return (
    <figure className="rounded-lg border border-border bg-surface p-4">
      <figcaption className="mb-2 flex min-h-7 items-center justify-between gap-2 text-sm font-semibold">
        {title}
        <span className="flex items-center gap-2 text-xs font-normal text-muted-foreground">
          {unit === "%" ? "percent" : unit}
          {options}
        </span>
      </figcaption>
      <div className="h-56" role="img" aria-label={`${title}: ${series.map((line) => line.label).join(", ")}`}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[start, to]}
              tickFormatter={tick}
              tick={{ fill: "var(--muted-foreground)", fontSize: 11 }}
              stroke="var(--border)"
              minTickGap={40}
            />
            <YAxis
              width={56}
              domain={percent ? [0, 100] : [0, "auto"]}
              tickFormatter={(value: number) => value.toLocaleString(undefined, { notation: "compact" })}
              tick={{ fill: "var(--muted-foreground)", fontSize: 11 }}
              stroke="var(--border)"
            />
            <Tooltip
              labelFormatter={(value) => new Date(Number(value)).toLocaleString()}
              formatter={(value) => format(Number(value), unit)}
              contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", borderRadius: 6, fontSize: 12, color: "var(--foreground)" }}
              labelStyle={{ color: "var(--muted-foreground)" }}
            />
            <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
            {series.map((line) => (
              <Line
                key={line.key}
                dataKey={line.key}
                name={line.label}
                stroke={line.color}
                strokeWidth={1.75}
                dot={false}
                isAnimationActive={false}
                connectNulls={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

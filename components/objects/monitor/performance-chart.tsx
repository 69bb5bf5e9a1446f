"use client";
// One performance chart: several series over time in one unit, or two (the second on a right-hand
// axis, as vSphere's Advanced charts allow), with a legend, a tooltip that reads every series at
// the pointer, and the range's bounds as the time axis (Recharts).
import type { ReactNode, Ref } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ChartSeries<Point> {
  key: string;
  label: string;
  value: (point: Point) => number | null;
  color: string;
  /** Drawn against the right-hand axis, in the chart's `rightUnit`. */
  right?: boolean;
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
  /** The unit of the series drawn against the right-hand axis. */
  rightUnit?: string;
  /** The chart's figure, for exporting it as an image. */
  figureRef?: Ref<HTMLElement>;
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

const unitLabel = (unit: string) => (unit === "%" ? "percent" : unit);

export function PerformanceChart<Point extends { time: string }>({ title, unit, points, series, from, to, percent, fromFirstSample, options, rightUnit, figureRef }: PerformanceChartProps<Point>) {
  const data = points.map((point) => ({ t: Date.parse(point.time), ...Object.fromEntries(series.map((line) => [line.key, line.value(point)])) }));
  const start = fromFirstSample && data.length > 0 ? Math.max(from, data[0]!.t) : from;
  const tick = timeFormatter(to - start);
  return (
    <figure ref={figureRef} className="rounded-lg border border-border bg-surface p-4">
      <figcaption className="mb-2 flex min-h-7 items-center justify-between gap-2 text-sm font-semibold">
        {title}
        <span className="flex shrink-0 items-center gap-2 text-xs font-normal whitespace-nowrap text-muted-foreground">
          {rightUnit ? `${unitLabel(unit)} · ${unitLabel(rightUnit)}` : unitLabel(unit)}
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
            {[{ id: "left", axisUnit: unit }, ...(rightUnit ? [{ id: "right", axisUnit: rightUnit }] : [])].map(({ id, axisUnit }) => (
              <YAxis
                key={id}
                yAxisId={id}
                orientation={id === "right" ? "right" : "left"}
                width={56}
                domain={axisUnit === "%" && (percent || id === "right") ? [0, 100] : [0, "auto"]}
                tickFormatter={(value: number) => value.toLocaleString(undefined, { notation: "compact" })}
                tick={{ fill: "var(--muted-foreground)", fontSize: 11 }}
                stroke="var(--border)"
              />
            ))}
            <Tooltip
              labelFormatter={(value) => new Date(Number(value)).toLocaleString()}
              formatter={(value, _name, item) => format(Number(value), series.find((line) => line.key === item.dataKey)?.right && rightUnit ? rightUnit : unit)}
              contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", borderRadius: 6, fontSize: 12, color: "var(--foreground)" }}
              labelStyle={{ color: "var(--muted-foreground)" }}
            />
            <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
            {series.map((line) => (
              <Line
                key={line.key}
                yAxisId={line.right && rightUnit ? "right" : "left"}
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

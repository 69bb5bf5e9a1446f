// Parts of every object's Summary: its conditions and its labels, as plain tables an operator can
// scan.
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export interface ObjectCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export function ConditionsCard({ conditions }: { conditions: ObjectCondition[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-sm">Conditions</CardTitle>
      </CardHeader>
      <CardContent className="p-0">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Type</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Reason</TableHead>
              <TableHead>Message</TableHead>
              <TableHead>Last transition</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {conditions.length === 0 && (
              <TableRow>
                <TableCell colSpan={5} className="text-center text-muted-foreground">
                  No conditions reported yet.
                </TableCell>
              </TableRow>
            )}
            {conditions.map((condition) => (
              <TableRow key={condition.type}>
                <TableCell className="font-medium">{condition.type}</TableCell>
                <TableCell>
                  <Badge variant={condition.status === "True" ? "success" : condition.status === "False" ? "destructive" : "secondary"}>
                    {condition.status}
                  </Badge>
                </TableCell>
                <TableCell>{condition.reason ?? "—"}</TableCell>
                <TableCell className="text-muted-foreground">{condition.message || "—"}</TableCell>
                <TableCell className="text-muted-foreground tabular-nums">
                  {condition.lastTransitionTime ? new Date(condition.lastTransitionTime).toLocaleString("en-US") : "—"}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}

export function LabelList({ labels }: { labels: Record<string, string> }) {
  const entries = Object.entries(labels);
  if (entries.length === 0) return <span className="text-sm text-muted-foreground">No labels</span>;
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label="Labels">
      {entries.map(([key, value]) => (
        <li key={key}>
          <Badge variant="outline" className="font-mono text-xs font-normal">
            {key}={value}
          </Badge>
        </li>
      ))}
    </ul>
  );
}

import { ListX } from "lucide-react";
import Link from "next/link";

export default function TaskNotFound() {
  return (
    <div className="flex min-h-[60vh] items-center justify-center p-6">
      <div className="max-w-md text-center">
        <ListX className="mx-auto size-10 text-muted-foreground" aria-hidden />
        <h1 className="mt-3 text-lg font-semibold">No such task</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          There is no task with this id. Pick a task from the Recent Tasks pane below to see its progress and events.
        </p>
        <Link href="/" className="mt-4 inline-block text-sm font-medium text-primary underline-offset-4 hover:underline">
          Go to Home
        </Link>
      </div>
    </div>
  );
}

"use server";
// Monitor › vSphere DRS › Recommendations: Apply (one) and Apply All. Each recommendation becomes
// its own migration task; the ones that are no longer current are reported, with why.
import { z } from "zod";
import { actionRequiring } from "@/lib/actions/safe-action";
import { applyDrsRecommendation, applyDrsRecommendationInputSchema } from "@/lib/engine/operations/cluster-operations";
import { UserFacingError } from "@/lib/errors";

const inputSchema = z.object({
  recommendations: z.array(applyDrsRecommendationInputSchema).min(1, "choose at least one recommendation").max(50, "at most 50 recommendations at once"),
});

export interface ApplyDrsOutcome {
  applied: number;
  failed: { name: string; message: string }[];
}

export const applyDrsRecommendations = actionRequiring("inventory.operate")
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }): Promise<ApplyDrsOutcome> => {
    const outcome: ApplyDrsOutcome = { applied: 0, failed: [] };
    for (const recommendation of parsedInput.recommendations) {
      try {
        await applyDrsRecommendation(ctx.user, recommendation);
        outcome.applied++;
      } catch (error) {
        if (!(error instanceof UserFacingError)) throw error;
        outcome.failed.push({ name: recommendation.vm.name, message: error.message });
      }
    }
    return outcome;
  });

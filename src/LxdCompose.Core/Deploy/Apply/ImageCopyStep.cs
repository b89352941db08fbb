using LxdCompose.Lxd;

namespace LxdCompose.Deploy;

/// <summary>The images a group's server copies before its nodes are created, each when approved.</summary>
internal static class ImageCopyStep
{
    public static async Task CopyAsync(ApplyRun run, ILxdServer server, GroupPlan plan)
    {
        var (groupActivity, _, imageActivity) = ApplyExecutor.Activities(plan.Index);
        foreach (var image in plan.ImagesToCopy)
        {
            var item = ApplyPlanItems.Image(plan.Remote, image);
            if (!run.Allows(item))
            {
                run.Declined(item);
                continue;
            }

            run.Host.Progress(new DeployProgress(groupActivity, ApplyExecutor.ProjectActivity, $"Group {plan.Spec.Name}", "image " + image.Source, 0));
            await ImageResolver.CopyAsync(run.Context.Connections, server, image, run.Host, run.Token, imageActivity, groupActivity).ConfigureAwait(false);
        }
    }
}

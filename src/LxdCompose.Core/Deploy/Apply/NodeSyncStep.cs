using LxdCompose.Lxd;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>What every approved node gets after its action: pre-node-sync, its config templates, sync_resources, post-node-sync.</summary>
internal static class NodeSyncStep
{
    /// <returns>How many files were pushed.</returns>
    public static async Task<int> SyncAsync(ApplyRun run, ILxdServer server, LxdGroup group, NodePlan node, Action<string, int> step)
    {
        step("pre-node-sync", 40);
        await run.RunNodeHooksAsync(HookEvents.PreNodeSync, group, node.Spec).ConfigureAwait(false);
        var templates = ApplyPlanItems.Templates(run.Project, node.Templates, node);
        if (run.Allows(templates))
        {
            TemplateStep.Compile(run, node.Templates);
        }
        else
        {
            run.Declined(templates!);
        }

        var files = 0;
        var push = new RecursivePushOptions { FileMode = run.PushedFileMode };
        for (var i = 0; i < node.Files.Count; i++)
        {
            var file = node.Files[i];
            run.Host.Log(DeployLogLevel.Verbose, $"[{node.Node}] [{i + 1}/{node.Files.Count}] {file.Destination}");
            step($"sync [{i + 1}/{node.Files.Count}] {file.Destination}", 50 + (40 * i / node.Files.Count));
            var pushed = await server.Files.PushRecursiveAsync(node.Node, file.Source, file.Destination, push, run.Token).ConfigureAwait(false);
            files += pushed.Steps.Count(s => s.Kind == RecursivePushStepKind.File);
        }

        step("post-node-sync", 90);
        await run.RunNodeHooksAsync(HookEvents.PostNodeSync, group, node.Spec).ConfigureAwait(false);
        return files;
    }
}

using System.Text.RegularExpressions;
using LxdCompose.Specs;

namespace LxdCompose.Deploy;

/// <summary>
/// Which groups <c>-ThrottleLimit</c> may run side by side. Groups that must run one after another form one lane:
/// groups on the same server; groups linked by a hook that names a node of the other (a project hook naming a node links
/// every group to that node's group); and a group whose hook writes a variable (<c>out2var</c>/<c>err2var</c>) with every
/// group that reads it. Lanes are the connected groups, each in declaration order; different lanes may run in parallel.
/// </summary>
internal static class ParallelLanes
{
    public static IReadOnlyList<IReadOnlyList<GroupPlan>> Of(IReadOnlyList<GroupPlan> groups, LxdProject project)
    {
        var parent = Enumerable.Range(0, groups.Count).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        void Join(int a, int b) => parent[Find(a)] = Find(b);

        int? GroupOfNode(string name)
        {
            for (var i = 0; i < groups.Count; i++)
            {
                if (groups[i].Spec.Nodes.Any(n => n.Name == name || n.InstanceName == name))
                {
                    return i;
                }
            }

            return null;
        }

        static bool NamesANode(LxdHook h) => h.Node != HookTargets.Host && !HookSelection.IsEveryNode(h.Node);

        for (var i = 0; i < groups.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (groups[i].Spec.Connection == groups[j].Spec.Connection && groups[i].Spec.ConnectionType == groups[j].Spec.ConnectionType)
                {
                    Join(i, j);
                }
            }

            foreach (var hook in HooksOf(groups[i].Spec).Where(NamesANode))
            {
                if (GroupOfNode(hook.Node) is { } target)
                {
                    Join(i, target);
                }
            }
        }

        foreach (var hook in project.Hooks.Where(NamesANode))
        {
            if (GroupOfNode(hook.Node) is { } target)
            {
                for (var i = 0; i < groups.Count; i++)
                {
                    Join(i, target);
                }
            }
        }

        for (var writer = 0; writer < groups.Count; writer++)
        {
            var written = HooksOf(groups[writer].Spec).SelectMany(h => new[] { h.Out2Var, h.Err2Var }).OfType<string>().Where(v => v.Length > 0)
                .Distinct(StringComparer.Ordinal).Select(NamePattern).ToList();
            for (var reader = 0; reader < groups.Count && written.Count > 0; reader++)
            {
                if (reader != writer && written.Any(variable => Reads(groups[reader].Spec, variable)))
                {
                    Join(reader, writer);
                }
            }
        }

        return Enumerable.Range(0, groups.Count).GroupBy(Find).Select(lane => (IReadOnlyList<GroupPlan>)lane.Select(i => groups[i]).ToList()).ToList();
    }

    private static IEnumerable<LxdHook> HooksOf(LxdGroup group) => group.Hooks.Concat(group.Nodes.SelectMany(n => n.Hooks));

    /// <summary>
    /// Whether a group may read a variable (<paramref name="variable"/>: its <see cref="NamePattern"/>): one of its hooks
    /// names it in its commands or entrypoint (hooks get the variables as environment variables), or it compiles config
    /// templates (they see every variable). A script that reads the variable without naming it in the hook is not seen: with such hooks, keep
    /// the default throttle limit of 1.
    /// </summary>
    private static bool Reads(LxdGroup group, Regex variable)
    {
        if (group.ConfigTemplates.Count > 0 || group.Nodes.Any(n => n.ConfigTemplates.Count > 0))
        {
            return true;
        }

        return HooksOf(group).Any(h => h.Commands.Concat(h.Entrypoint).Any(variable.IsMatch));
    }

    /// <summary>The variable's name as a whole word (not part of a longer name such as <c>db_ip_old</c>).</summary>
    private static Regex NamePattern(string variable) =>
        new(@"(?<![A-Za-z0-9_])" + Regex.Escape(variable) + "(?![A-Za-z0-9_])", RegexOptions.CultureInvariant);
}

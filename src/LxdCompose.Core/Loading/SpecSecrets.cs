using LxdCompose.Security;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.Loading;

/// <summary>Finds the secret values of a load (what <see cref="SecretValues"/> says makes a value secret).</summary>
internal static class SpecSecrets
{
    public static SecretValues Collect(ComposeConfig config, RenderContext? render, IEnumerable<LxdEnvironment> environments)
    {
        var secrets = new SecretValues(config.Security.SecretNamePatterns is { } patterns
            ? new SecretNamePatterns(patterns)
            : SecretNamePatterns.Default);
        secrets.Add(config.Security.Key);
        if (render is not null)
        {
            secrets.AddTree(render.SecretsFileValues);
            foreach (var (name, value) in render.Values)
            {
                secrets.AddNamed(name, value);
            }
        }

        foreach (var environment in environments)
        {
            foreach (var profile in environment.Profiles)
            {
                secrets.AddNamedEntries(profile.Config);
            }

            foreach (var project in environment.Projects)
            {
                secrets.AddVarsBlocks(project.Vars);
                foreach (var group in project.Groups)
                {
                    secrets.AddNamedEntries(group.Config);
                    foreach (var node in group.Nodes)
                    {
                        secrets.AddNamedEntries(node.Labels);
                        secrets.AddNamedEntries(node.Config);
                    }
                }
            }

            foreach (var command in environment.Commands)
            {
                if (command.Envs is { } envs)
                {
                    secrets.AddVarsBlock(envs);
                }
            }
        }

        return secrets;
    }
}

using LxdCompose.Deploy;
using LxdCompose.Lxd;
using LxdCompose.Specs;
using LxdCompose.Templating;

namespace LxdCompose.Loading;

public static partial class SpecValidator
{
    /// <summary>The checks that read the host's files: config templates, sync sources, the client configuration.</summary>
    private sealed partial class Run
    {
        /// <summary>Events whose host hooks run before a node's files are pushed, and so may write its sync sources.</summary>
        private static readonly string[] BeforeSync =
        {
            HookEvents.PreProject, HookEvents.PreGroup, HookEvents.PreNodeCreation, HookEvents.PostNodeCreation,
            HookEvents.PreNodeSync,
        };

        public void CheckFiles(LxdEnvironment env, LxdProject project)
        {
            var written = CheckConfigTemplates(env, project);
            foreach (var group in project.Groups)
            {
                foreach (var node in group.Nodes)
                {
                    CheckSyncSources(env, project, group, node, written);
                }
            }
        }

        /// <summary>
        /// Every config template exists and compiles with the project's variables (as <c>compile</c> sees them, plus the
        /// deploy's extra variables and an empty string for each out2var/err2var name), and the environment names a
        /// template engine. Returns the files the templates write.
        /// jinja2 templates are only looked for: they compile in the external j2 at deploy time.
        /// </summary>
        private IReadOnlyCollection<string> CheckConfigTemplates(LxdEnvironment env, LxdProject project)
        {
            var templates = project.ConfigTemplates.Concat(project.Groups.SelectMany(g => g.ConfigTemplates))
                .Concat(project.Groups.SelectMany(g => g.Nodes).SelectMany(n => n.ConfigTemplates)).ToList();
            if (templates.Count == 0)
            {
                return Array.Empty<string>();
            }

            var engineName = env.TemplateEngine.Engine;
            if (!TemplateEngines.IsConfigEngineName(engineName))
            {
                var what = engineName.Length == 0 ? "no template engine"
                    : $"the unknown template engine '{engineName}'{Spelling.DidYouMean(engineName, TemplateEngines.ConfigEngineNames)}";
                Error(TemplateCodes.TemplateEngineInvalid,
                    $"project '{project.Name}' has config_templates but its environment file names {what}, so they " +
                    "cannot be compiled; add 'template_engine: {engine: mottainai}' (or " +
                    $"{string.Join(", ", TemplateEngines.ConfigEngineNames.Where(n => n != TemplateEngines.Mottainai))}) " +
                    "to the environment file",
                    templates[0].Location, project.Name);
                return Array.Empty<string>();
            }

            // out2var/err2var values exist only once hooks ran; a deploy stores strings, so templates see "" here.
            var runtimeNames = project.Hooks.Concat(project.Groups.SelectMany(g => g.Hooks))
                .Concat(project.Groups.SelectMany(g => g.Nodes).SelectMany(n => n.Hooks))
                .SelectMany(h => new[] { h.Out2Var, h.Err2Var }).OfType<string>().Where(n => n.Length > 0).ToList();
            var written = new HashSet<string>(StringComparer.Ordinal);
            var compiler = new ConfigTemplateCompiler(_specs, new ConfigTemplateCompileOptions { ExtraVars = _options.ExtraVars });
            foreach (var stage in compiler.Plan(project))
            {
                var engine = engineName == TemplateEngines.Jinja2 ? null
                    : TemplateEngines.CreateConfigEngine(engineName, stage.EngineOptions, stage.EngineLocation);
                var variables = new Dictionary<string, object?>(stage.Variables, StringComparer.Ordinal);
                foreach (var name in runtimeNames)
                {
                    variables.TryAdd(name, string.Empty);
                }

                foreach (var job in stage.Jobs)
                {
                    written.Add(job.Destination);
                    var node = job.Node.Length == 0 ? null : job.Node;
                    var group = job.Group.Length == 0 ? null : job.Group;
                    if (!File.Exists(job.Source))
                    {
                        Error(TemplateCodes.TemplateSourceNotFound,
                            $"config template source '{job.Template.Source}' does not exist (looked for {job.Source}; " +
                            "it is joined with the environment's directory, or the node's source_dir, even when it is " +
                            "absolute, as lxd-compose does); fix 'source' or create the file",
                            job.Template.Location, project.Name, group, node);
                        continue;
                    }

                    try
                    {
                        engine?.Render(InputFiles.ReadText(job.Source), job.Source, variables);
                    }
                    catch (SpecException e)
                    {
                        Diagnostics.Add(new SpecDiagnostic(DiagnosticSeverity.Error, e.Diagnostic.Code,
                            $"config template '{job.Template.Source}' (config_templates entry at {job.Template.Location}) " +
                            $"does not compile with the project's variables: {e.Diagnostic.Message}",
                            e.Diagnostic.Location.IsKnown ? e.Diagnostic.Location : job.Template.Location)
                        {
                            Project = project.Name, Group = group, Node = node,
                        });
                    }
                }
            }

            return written;
        }

        /// <summary>
        /// Every sync source exists, resolved as apply resolves it, or is written by a config template first. When a host
        /// hook runs before the sync, it may write the file, so a missing one is only a warning.
        /// </summary>
        private void CheckSyncSources(LxdEnvironment env, LxdProject project, LxdGroup group, LxdNode node,
            IReadOnlyCollection<string> templateOutputs)
        {
            var hostHookFirst = project.Hooks.Concat(group.Hooks).Concat(node.Hooks)
                .Any(h => h.Node == HookTargets.Host && BeforeSync.Contains(h.Event, StringComparer.Ordinal));
            // SyncSources keeps the order of sync_resources: each resolved source beside the entry as written.
            foreach (var (written, resource) in node.SyncResources.Zip(ApplyPlanner.SyncSources(env, node)))
            {
                var path = resource.Source.TrimEnd('/', '\\');
                if (File.Exists(path) || Directory.Exists(path) || IsTemplateOutput(path, templateOutputs))
                {
                    continue;
                }

                var message = $"sync source '{written.Source}' of node '{node.InstanceName}' does not exist (looked for " +
                    $"{resource.Source}; relative sources are taken from the node's source_dir, or the environment " +
                    "file's directory)";
                if (hostHookFirst)
                {
                    Warning(ValidationCodes.SyncSourceNotFound,
                        message + "; a host hook runs before the sync and may create it, else fix 'source'",
                        resource.Location, project.Name, group.Name, node.InstanceName);
                }
                else
                {
                    Error(ValidationCodes.SyncSourceNotFound,
                        message + " and no config template or host hook writes it; fix 'source' or create it",
                        resource.Location, project.Name, group.Name, node.InstanceName);
                }
            }
        }

        /// <summary>A file a template writes, or a directory templates write into.</summary>
        private static bool IsTemplateOutput(string path, IReadOnlyCollection<string> outputs) =>
            outputs.Any(o => o == path || o.StartsWith(path + Path.DirectorySeparatorChar, StringComparison.Ordinal));

        /// <summary>
        /// With <c>general.lxd_confdir</c> set: the directory exists, its config.yml reads, and every group's connection
        /// is one of its servers (deploys use only those, <see cref="DeployClientConfig.Load"/>). Without it the client
        /// configuration is the machine's own (lxc's lookup), checked when connecting.
        /// </summary>
        public void CheckClientConfig()
        {
            var compose = _specs.Config;
            var directory = DeployClientConfig.ConfiguredDirectory(compose);
            if (directory is null)
            {
                return;
            }

            var at = compose.General.LxdConfDirLocation.IsKnown ? compose.General.LxdConfDirLocation : compose.Location;
            if (!Directory.Exists(directory))
            {
                Error(ValidationCodes.ClientConfigDirNotFound,
                    $"the client configuration directory '{compose.General.LxdConfDir}' (general.lxd_confdir) does not " +
                    $"exist (looked for {directory}); create it (Add-LxdRemote writes it) or fix general.lxd_confdir; " +
                    "nothing falls back to another client configuration", at);
                return;
            }

            Lxd.Config.LxdClientConfig config;
            try
            {
                config = DeployClientConfig.Load(compose);
            }
            catch (LxdConfigException e)
            {
                Error(ValidationCodes.ClientConfigInvalid, $"the client configuration of general.lxd_confdir is unusable: {e.Message}", at);
                return;
            }

            foreach (var project in _specs.Projects)
            {
                foreach (var group in project.Groups)
                {
                    if (DeployClientConfig.ConnectionProblem(config, group) is { } problem)
                    {
                        Error(ValidationCodes.UnknownRemote,
                            $"{problem}; add the remote (Add-LxdRemote) or fix 'connection' (general.lxd_confdir is " +
                            $"'{compose.General.LxdConfDir}')", group.Location, project.Name, group.Name);
                    }

                    // In P2P mode every remote is searched and image_remote_server is not used.
                    foreach (var node in group.Nodes.Where(n => !compose.General.P2PMode && n.ImageRemoteServer.Length > 0
                        && !config.Remotes.ContainsKey(n.ImageRemoteServer)))
                    {
                        Error(ValidationCodes.UnknownRemote,
                            $"image_remote_server '{node.ImageRemoteServer}' of node '{node.InstanceName}' is not a remote of " +
                            $"{config.ConfigFile}{Spelling.DidYouMean(node.ImageRemoteServer, config.Remotes.Keys)}; add it " +
                            "(Add-LxdRemote) or fix image_remote_server", node.Location, project.Name, group.Name, node.InstanceName);
                    }
                }
            }
        }
    }
}

using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace LxdCompose.PowerShell.ModuleLoading;

/// <summary>
/// Runs on Import-Module before any cmdlet: from then on, the default context's requests for LxdCompose.Core and
/// LxdCompose.GoTemplates (whose errors a cmdlet catches) are answered with the copies in our
/// <see cref="DependencyLoadContext"/>. Only those names are answered, so the default context never receives YamlDotNet
/// or Scriban from us.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string[] EngineAssemblyNames = ["LxdCompose.Core", "LxdCompose.GoTemplates"];

    private static readonly object Gate = new();
    private static bool _registered;

    public void OnImport()
    {
        lock (Gate)
        {
            if (!_registered)
            {
                AssemblyLoadContext.Default.Resolving += ResolveEngine;
                _registered = true;
            }
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (Gate)
        {
            if (_registered)
            {
                AssemblyLoadContext.Default.Resolving -= ResolveEngine;
                _registered = false;
            }
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name is null || !EngineAssemblyNames.Contains(name.Name, StringComparer.Ordinal))
        {
            return null;
        }

        // A missing file must yield null, not an exception thrown from inside the resolver.
        var loadContext = DependencyLoadContext.Instance;
        return File.Exists(Path.Combine(loadContext.DependencyDirectory, name.Name + ".dll"))
            ? loadContext.LoadFromAssemblyName(name)
            : null;
    }
}

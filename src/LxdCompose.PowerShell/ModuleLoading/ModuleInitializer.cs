using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace LxdCompose.PowerShell.ModuleLoading;

/// <summary>
/// Runs on Import-Module before any cmdlet: from then on, the default context's request for LxdCompose.Core is answered
/// with the copy in our <see cref="DependencyLoadContext"/>. Only that one name is answered, so the default context never
/// receives YamlDotNet or Scriban from us.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string EngineAssemblyName = "LxdCompose.Core";

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
        if (!string.Equals(name.Name, EngineAssemblyName, StringComparison.Ordinal))
        {
            return null;
        }

        // A missing file must yield null, not an exception thrown from inside the resolver.
        var loadContext = DependencyLoadContext.Instance;
        return File.Exists(Path.Combine(loadContext.DependencyDirectory, EngineAssemblyName + ".dll"))
            ? loadContext.LoadFromAssemblyName(name)
            : null;
    }
}

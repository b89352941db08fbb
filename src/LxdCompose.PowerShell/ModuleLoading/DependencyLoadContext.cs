using System.Reflection;
using System.Runtime.Loader;

namespace LxdCompose.PowerShell.ModuleLoading;

/// <summary>
/// The module's own load context: LxdCompose.Core and everything it references (LxdCompose.GoTemplates, YamlDotNet, Scriban) load from
/// <c>bin/Dependencies</c> here, so other modules' versions of the same assemblies in the default context never meet ours.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    public const string ContextName = "LxdCompose";

    private readonly string _dependencyDirectory;

    private DependencyLoadContext(string dependencyDirectory)
        : base(ContextName, isCollectible: false)
    {
        _dependencyDirectory = dependencyDirectory;
    }

    /// <summary>One context per process: PowerShell cannot unload the cmdlet assembly, so a re-import reuses it.</summary>
    public static DependencyLoadContext Instance { get; } = new(
        Path.Combine(Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location) ?? string.Empty, "Dependencies"));

    public string DependencyDirectory => _dependencyDirectory;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Null lets the default context answer: framework assemblies, and anything we do not ship.
        var path = Path.Combine(_dependencyDirectory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}

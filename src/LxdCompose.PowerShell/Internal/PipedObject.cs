using System.Collections;
using System.Management.Automation;

namespace LxdCompose.PowerShell.Internal;

/// <summary>What kind of thing a piped object names.</summary>
internal enum PipedKind
{
    /// <summary>Nothing the module can read: no project, group or command name.</summary>
    Unknown,
    /// <summary>A string: the name the cmdlet's first position takes (a remote name for the deploy cmdlets).</summary>
    Text,
    /// <summary>A remote (Get-LxdRemote, Add-LxdRemote, Test-LxdRemote): its Project is an LXD project, never a spec project.</summary>
    Remote,
    /// <summary>A file or folder (Get-Item, Get-ChildItem): a config, naming no project; its Group is the Unix group owner.</summary>
    Config,
    Project,
    Group,
    Node,
    Command,
}

/// <summary>
/// How every cmdlet reads a piped object, in one place: the module's own objects by their type (also deserialized),
/// strings, remotes and files by what they are, and any other object (PSCustomObject, hashtable) by its
/// <c>ProjectName</c>/<c>Project</c>, <c>GroupName</c>/<c>Group</c> and <c>CommandName</c> properties or keys.
/// A piped object names exactly one thing: a node its node (and group and project), a group its group, a project its
/// project; never more than it says.
/// </summary>
internal sealed record PipedObject(PipedKind Kind, string? Project = null, string? Group = null, string? Node = null,
    string? Command = null, string? Text = null, string? ConfigFile = null)
{
    public static PipedObject Read(PSObject item)
    {
        // A masked copy (secret values shown as ********) names what its original names.
        item = MaskedCopies.OriginalOf(item);
        // ConfigFile is the note every spec object of the module carries; ConfigPath, the parameter's own name, also works.
        var configFile = Property(item, Commands.LxdSpecCmdlet.ConfigFileProperty) ?? Property(item, "ConfigPath");
        switch (item.BaseObject)
        {
            case string text:
                return new PipedObject(PipedKind.Text, Text: text);
            case FileSystemInfo file:
                return new PipedObject(PipedKind.Config, ConfigFile: file.FullName);
        }

        if (HasTypeName(item, "LxdCompose.PowerShell.LxdRemoteInfo") || HasTypeName(item, "LxdCompose.PowerShell.LxdRemoteTestResult"))
        {
            return new PipedObject(PipedKind.Remote, Text: Property(item, "Name"));
        }

        if (HasTypeName(item, "System.IO.FileInfo") || HasTypeName(item, "System.IO.DirectoryInfo"))
        {
            return new PipedObject(PipedKind.Config, ConfigFile: Property(item, "FullName"));
        }

        if (HasTypeName(item, "LxdCompose.Specs.LxdProject"))
        {
            return new PipedObject(PipedKind.Project, Property(item, "Name"), ConfigFile: configFile);
        }

        if (HasTypeName(item, "LxdCompose.Specs.LxdGroup"))
        {
            return new PipedObject(PipedKind.Group, Property(item, "Project"), Property(item, "Name"), ConfigFile: configFile);
        }

        if (HasTypeName(item, "LxdCompose.Specs.LxdNode"))
        {
            return new PipedObject(PipedKind.Node, Property(item, "Project"), Property(item, "Group"), Property(item, "Name"), ConfigFile: configFile);
        }

        if (HasTypeName(item, "LxdCompose.Specs.LxdCommand"))
        {
            return new PipedObject(PipedKind.Command, Property(item, "Project"), Command: Property(item, "Name"), ConfigFile: configFile);
        }

        if (HasTypeName(item, "LxdCompose.Deploy.ServerInstance"))
        {
            // An instance on a server (Get-LxdInstance) is the node of the specs it is, or names nothing to act on.
            return LanguagePrimitives.IsTrue(item.Properties["InSpecs"]?.Value)
                ? new PipedObject(PipedKind.Node, Property(item, "Project"), Property(item, "Group"), Property(item, "Name"), ConfigFile: configFile)
                : new PipedObject(PipedKind.Unknown, ConfigFile: configFile);
        }

        if (HasTypeName(item, "LxdCompose.Deploy.NodeResult") || HasTypeName(item, "LxdCompose.Deploy.NodePlan")
            || HasTypeName(item, "LxdCompose.Deploy.NodeExecResult") || HasTypeName(item, "LxdCompose.Deploy.NodeFileCopyResult"))
        {
            // Node is the instance name (prefix applied), which node lookups accept as well as the spec name.
            return new PipedObject(PipedKind.Node, Property(item, "Project"), Property(item, "Group"), Property(item, "Node"), ConfigFile: configFile);
        }

        if (HasTypeName(item, "LxdCompose.Specs.LxdHook"))
        {
            // A hook knows its level but not its project or group: it names nothing to act on.
            return new PipedObject(PipedKind.Unknown);
        }

        // Also the module's results that carry names (compiled templates, image results, diagnostics): what they name
        // may be a whole project (an empty Group), which these properties tell.
        var project = Property(item, "ProjectName") ?? Property(item, "Project");
        var group = Property(item, "GroupName") ?? Property(item, "Group");
        var command = Property(item, "CommandName");
        if (command is not null)
        {
            return new PipedObject(PipedKind.Command, project, Command: command, ConfigFile: configFile);
        }

        if (group is not null)
        {
            return new PipedObject(PipedKind.Group, project, group, ConfigFile: configFile);
        }

        return project is not null
            ? new PipedObject(PipedKind.Project, project, ConfigFile: configFile)
            : new PipedObject(PipedKind.Unknown, ConfigFile: configFile);
    }

    /// <summary>A short description for messages: "the group 'web' of project 'quickstart'".</summary>
    public string Describe() => Kind switch
    {
        PipedKind.Project => $"the project '{Project}'",
        PipedKind.Group => $"the group '{Group}'{Of()}",
        PipedKind.Node => $"the node '{Node}' of group '{Group}'{Of()}",
        PipedKind.Command => $"the command '{Command}'{Of()}",
        PipedKind.Remote => $"the remote '{Text}'",
        PipedKind.Text => $"'{Text}'",
        PipedKind.Config => $"the file '{ConfigFile}'",
        _ => "an object",
    };

    private string Of() => Project is null ? string.Empty : $" of project '{Project}'";

    /// <summary>A property (or, for a dictionary, a key) as non-empty text, or null.</summary>
    public static string? Property(PSObject item, string name)
    {
        object? value;
        if (item.BaseObject is IDictionary dictionary)
        {
            value = dictionary.Contains(name)
                ? dictionary[name]
                : dictionary.Keys.Cast<object>().Where(k => string.Equals(k?.ToString(), name, StringComparison.OrdinalIgnoreCase))
                    .Select(k => dictionary[k]).FirstOrDefault();
        }
        else
        {
            value = item.Properties[name]?.Value;
        }

        return value?.ToString() is { Length: > 0 } text ? text : null;
    }

    /// <summary>Whether a piped object is (or was, before serialization: <c>Deserialized.</c> prefix) of the type named.</summary>
    public static bool HasTypeName(PSObject item, string fullName) =>
        item.TypeNames.Any(t => t == fullName || t == "Deserialized." + fullName);
}

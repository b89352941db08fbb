using System.ComponentModel;
using System.Diagnostics;
using System.Text.RegularExpressions;
using LxdCompose.Security;
using LxdCompose.Specs;

namespace LxdCompose.Templating.Jinja2;

/// <summary>
/// <c>template_engine.engine: jinja2</c>, as lxd-compose runs it (reference §4.4): the external <c>j2</c> command
/// (j2cli) renders the template with a YAML data file of the variables (spec objects under their YAML key names), and
/// <c>template_engine.opts</c> appended to its command line. We do not implement Jinja.
/// </summary>
public sealed partial class Jinja2TemplateEngine : IConfigTemplateEngine
{
    public const string EngineName = "jinja2";
    public const string DefaultCommand = "j2";

    private readonly ConfigTemplateEngineOptions _options;

    public Jinja2TemplateEngine(ConfigTemplateEngineOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    public string Name => EngineName;

    [GeneratedRegex(@"File ""(?<file>[^""]+)"", line (?<line>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex TracebackFrame();

    public string Render(string templateText, string sourcePath, IReadOnlyDictionary<string, object?> variables)
    {
        var command = FindCommand(_options.Jinja2Command)
            ?? throw new SpecException(TemplateCodes.Jinja2NotFound,
                $"the jinja2 template engine needs the '{_options.Jinja2Command}' command (j2cli) in PATH, and it was " +
                "not found; install j2cli (Debian/Ubuntu: apt-get install j2cli; elsewhere: pip install j2cli) or " +
                "switch template_engine.engine to scriban", SourceLocation.FileOnly(sourcePath));

        var temp = Directory.CreateTempSubdirectory("lxd-compose-j2");
        try
        {
            var template = Path.Combine(temp.FullName, "source.j2");
            var output = Path.Combine(temp.FullName, "dest");
            File.WriteAllText(template, templateText);
            var dataFile = _options.DataFile;
            if (dataFile is null)
            {
                dataFile = Path.Combine(temp.FullName, "data.yml");
                var data = variables.OrderBy(v => v.Key, StringComparer.Ordinal)
                    .ToDictionary(v => v.Key, v => SpecObjectShapes.ToData(v.Value), StringComparer.Ordinal);
                // The variables, secrets included: the temporary folder is the owner's alone, and so is the file.
                PrivateFile.WriteAllText(dataFile, TemplateDataYaml.Write(data));
            }

            var start = new ProcessStartInfo(command)
            {
                WorkingDirectory = _options.WorkingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { template, dataFile, "-o", output }.Concat(_options.Opts))
            {
                start.ArgumentList.Add(argument);
            }

            string stdout, stderr;
            int exitCode;
            try
            {
                using var process = Process.Start(start) ?? throw new Win32Exception($"'{command}' did not start");
                var readOut = process.StandardOutput.ReadToEndAsync();
                stderr = process.StandardError.ReadToEnd();
                stdout = readOut.GetAwaiter().GetResult();
                process.WaitForExit();
                exitCode = process.ExitCode;
            }
            catch (Win32Exception e)
            {
                throw new SpecException(TemplateCodes.Jinja2NotFound,
                    $"cannot run '{command}' for the jinja2 template engine: {e.Message}", SourceLocation.FileOnly(sourcePath), e);
            }

            if (exitCode != 0)
            {
                throw Failure(stderr.Length > 0 ? stderr : stdout, template, sourcePath, exitCode);
            }

            return File.ReadAllText(output);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    /// <summary>The j2 error: its last line (the exception), at the template line of the traceback's last frame in it.</summary>
    private static SpecException Failure(string errorOutput, string template, string sourcePath, int exitCode)
    {
        var text = errorOutput.Replace(template, sourcePath, StringComparison.Ordinal).TrimEnd();
        var lastLine = text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? $"exit code {exitCode}";
        var line = TracebackFrame().Matches(text)
            .Where(m => m.Groups["file"].Value == sourcePath)
            .Select(m => int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture))
            .LastOrDefault();
        var at = line > 0 ? new SourceLocation(sourcePath, line, 1) : SourceLocation.FileOnly(sourcePath);
        return new SpecException(TemplateCodes.TemplateRenderError, $"j2 failed (exit code {exitCode}): {lastLine}", at);
    }

    /// <summary>A path as given, else the first match in PATH (with the executable extensions on Windows).</summary>
    private static string? FindCommand(string command)
    {
        if (command.Contains(Path.DirectorySeparatorChar) || command.Contains(Path.AltDirectorySeparatorChar))
        {
            return File.Exists(command) ? Path.GetFullPath(command) : null;
        }

        var extensions = OperatingSystem.IsWindows()
            ? (Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE;.CMD;.BAT").Split(';').Prepend(string.Empty)
            : new[] { string.Empty };
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return directories
            .SelectMany(d => extensions.Select(e => Path.Combine(d, command + e)))
            .FirstOrDefault(File.Exists);
    }
}

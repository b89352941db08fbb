// Times the render engine and the loader on one generated environment of N nodes (one range over render values),
// against a plain YamlDotNet parse of the text that rendering produced, in the same process and run.
// Usage: dotnet run -c Release --project bench/render [-- <nodes> <iterations>]
using System.Diagnostics;
using LxdCompose.Loading;
using LxdCompose.Templating;
using YamlDotNet.RepresentationModel;

var nodes = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2000;
var iterations = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;

var root = Path.Combine(Path.GetTempPath(), "lxdc-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(Path.Combine(root, "envs"));
try
{
    File.WriteAllText(Path.Combine(root, ".lxd-compose.yml"), "env_dirs: [envs]\nrender_default_file: default.yaml\n");
    File.WriteAllText(Path.Combine(root, "default.yaml"),
        "image: alpine/3.19\nnodes:\n" + string.Concat(Enumerable.Range(1, nodes).Select(i => $"  - name: node-{i:D5}\n    role: {(i % 3 == 0 ? "db" : "web")}\n")));
    var envFile = Path.Combine(root, "envs", "bench.yml");
    File.WriteAllText(envFile, """
        version: "1"
        projects:
        - name: bench
          groups:
          - name: g
            connection: local
            common_profiles: [default]
            nodes:
        {{- range $i, $n := .Values.nodes }}
            - name: {{ $n.name }}
              image_source: {{ $.Values.image | default "alpine/edge" }}
              labels:
                index: "{{ $i }}"
                role: {{ $n.role | quote }}
              hooks:
              - event: post-node-creation
                commands:
                - echo {{ $n.name }} {{ if eq $n.role "db" }}database{{ else }}web{{ end }}
        {{- end }}
        """);

    var options = new LoadOptions { WorkingDirectory = root, EnvironmentVariables = new Dictionary<string, string>() };
    var config = SpecLoader.LoadConfig(options);
    var rendered = TemplateEngines.SpecRendererFor(config, null)!.Render(envFile, File.ReadAllText(envFile));

    double RenderAndLoad()
    {
        var watch = Stopwatch.StartNew();
        var specs = SpecLoader.Load(options);
        watch.Stop();
        if (specs.Nodes.Count() != nodes)
        {
            throw new InvalidOperationException("expected " + nodes + " nodes; " + string.Join("; ", specs.Diagnostics));
        }

        return watch.Elapsed.TotalMilliseconds;
    }

    double RenderOnly()
    {
        var watch = Stopwatch.StartNew();
        TemplateEngines.SpecRendererFor(SpecLoader.LoadConfig(options), null)!.Render(envFile, File.ReadAllText(envFile));
        return watch.Elapsed.TotalMilliseconds;
    }

    double TreeOnly()
    {
        var watch = Stopwatch.StartNew();
        LxdCompose.Yaml.YamlTreeReader.Parse(rendered, envFile);
        return watch.Elapsed.TotalMilliseconds;
    }

    double PlainYamlParse()
    {
        var watch = Stopwatch.StartNew();
        var stream = new YamlStream();
        stream.Load(new StringReader(rendered));
        watch.Stop();
        return stream.Documents.Count == 1 ? watch.Elapsed.TotalMilliseconds : throw new InvalidOperationException("no document");
    }

    // Warm-up: JIT and caches, then measure the three interleaved so machine noise hits them alike.
    for (var i = 0; i < 3; i++)
    {
        RenderAndLoad();
        RenderOnly();
        TreeOnly();
        PlainYamlParse();
    }

    var load = new List<double>();
    var render = new List<double>();
    var tree = new List<double>();
    var yaml = new List<double>();
    for (var i = 0; i < iterations; i++)
    {
        load.Add(RenderAndLoad());
        render.Add(RenderOnly());
        tree.Add(TreeOnly());
        yaml.Add(PlainYamlParse());
    }

    static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }

    Console.WriteLine($"nodes: {nodes}, iterations: {iterations}, rendered text: {rendered.Length:N0} chars, {rendered.Count(c => c == '\n'):N0} lines");
    Console.WriteLine($"render + load (SpecLoader.Load)     median {Median(load),8:F1} ms");
    Console.WriteLine($"  of which render (Helm engine)     median {Median(render),8:F1} ms");
    Console.WriteLine($"  of which YAML tree (YamlTreeReader) median {Median(tree),6:F1} ms");
    Console.WriteLine($"plain YamlDotNet parse (YamlStream) median {Median(yaml),8:F1} ms");
    Console.WriteLine($"ratio render+load / plain parse: {Median(load) / Median(yaml):F2}");
}
finally
{
    Directory.Delete(root, recursive: true);
}

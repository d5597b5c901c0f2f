using System.Diagnostics;
using System.Text;

namespace ChaosModular.E2E.Harness;

/// <summary>
/// One of the real application processes (<c>dotnet ChaosModular.Web.dll</c> or the Worker), started from
/// its build output with settings as environment variables. Its stdout and stderr are kept in memory and
/// written live to <c>artifacts/e2e/&lt;name&gt;.log</c>.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private bool _disposed;

    private AppProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string LogFile => Path.Combine(Repository.Artifacts, $"{Name}.log");

    public static AppProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo(DotnetHost(), [dll])
        {
            // The content root: appsettings.json is found next to the dll.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Settings the test host may carry must not leak into the app; ours are set explicitly below.
        foreach (var key in startInfo.Environment.Keys.ToList())
        {
            if (key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) ||
                key.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase) ||
                key.Contains("__", StringComparison.Ordinal))
            {
                startInfo.Environment.Remove(key);
            }
        }
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        startInfo.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var log = new StreamWriter(Path.Combine(Repository.Artifacts, $"{name}.log"), append: false) { AutoFlush = true };
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var app = new AppProcess(name, process, log);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data is null ? null : "[stderr] " + e.Data);
        app.Append($"> dotnet {dll} (cwd {startInfo.WorkingDirectory})");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Everything the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The last lines of the output, for failure messages.</summary>
    public string Tail(int lines = 80)
    {
        var all = Output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        Append($"> {Name} stopped");
        _process.Dispose();
        lock (_gate)
        {
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _output.AppendLine(line);
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A last line after Dispose.
            }
        }
    }

    private static string DotnetHost()
    {
        // dotnet test points DOTNET_HOST_PATH at the muxer it runs under.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }
}

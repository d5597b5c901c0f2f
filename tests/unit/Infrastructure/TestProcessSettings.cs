using System.Runtime.CompilerServices;

namespace ChaosModular.UnitTests.Infrastructure;

/// <summary>Settings for every host this test process starts or composes, applied before the first test runs.</summary>
internal static class TestProcessSettings
{
    [ModuleInitializer]
    internal static void Apply()
    {
        // Hosts read appsettings.json with reloadOnChange by default: one inotify instance per host, and Linux allows a
        // user 128. The suite starts hundreds of hosts, some alive at once (class fixtures, parallel classes, hosts
        // composed by HostComposition and never started); CI ran out of instances and eight tests failed in
        // FileSystemWatcher.StartRaisingEvents. No test edits those files while a host runs.
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        // The other watcher of every host: asp-append-version asks the web root's file provider to watch each stylesheet
        // and script it stamps. Polling instead (a timer per watched file, no inotify instance).
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true");
    }
}

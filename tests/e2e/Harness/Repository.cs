using System.Reflection;

namespace ChaosModular.E2E.Harness;

/// <summary>Where things are: the repository root, the build outputs of Web and Worker, the artifacts folder.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration this test assembly was built with (Release on CI); Web and Worker are built alongside it.</summary>
    public static string Configuration { get; } =
        typeof(Repository).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The target framework folder (net10.0), the same for every project of the solution.</summary>
    public static string TargetFramework { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;

    public static string WebDll => BuildOutput("Web", "ChaosModular.Web.dll");

    public static string WorkerDll => BuildOutput("Worker", "ChaosModular.Worker.dll");

    /// <summary>The published site's wwwroot; a build output has none, so Production serves it from the source.</summary>
    public static string WebRoot => Path.Combine(Root, "src", "Web", "wwwroot");

    public static string Artifacts
    {
        get
        {
            var path = Path.Combine(Root, "artifacts", "e2e");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    private static string BuildOutput(string project, string dll)
    {
        var path = Path.Combine(Root, "src", project, "bin", Configuration, TargetFramework, dll);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"{path} is missing. Build the solution first: dotnet build ChaosModular.sln -c {Configuration}", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChaosModular.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No ChaosModular.sln above {AppContext.BaseDirectory}.");
    }
}

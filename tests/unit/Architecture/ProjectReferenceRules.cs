using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ChaosModular.UnitTests.Architecture;

/// <summary>A project under src/, with the projects it references (paths relative to src/).</summary>
public sealed record ProjectInfo(string Path, IReadOnlyList<string> References)
{
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);
    public bool IsAbstractions => Name == "Modules.Abstractions";
    public bool IsInfrastructure => Name == "Modules.Infrastructure";
    public bool IsComposition => Path == "Composition/Composition.csproj";
    /// <summary>A process composing the modules: Web, Worker, and the volume generator (a developer's tool that fills a database through the modules).</summary>
    public bool IsHost => Path is "Web/Web.csproj" or "Worker/Worker.csproj" or "Tools/Volume/Volume.csproj";
    public bool IsMigrations => Path.StartsWith("Migrations/", StringComparison.Ordinal);
    /// <summary>A stand-alone tool under src/Tools (what a customer runs, knowing only a published spec).</summary>
    public bool IsTool => Path.StartsWith("Tools/", StringComparison.Ordinal) && !IsHost;
    public bool IsContracts => Path.StartsWith("Modules/", StringComparison.Ordinal) && Name.EndsWith(".Contracts", StringComparison.Ordinal);
    public bool IsModule => Path.StartsWith("Modules/", StringComparison.Ordinal) && !Path.StartsWith("Modules/Shared/", StringComparison.Ordinal) && !IsContracts;
    public string? ModuleName => IsModule ? Name : IsContracts ? Name[..^".Contracts".Length] : null;
}

/// <summary>
/// The module boundary rules of ARCHITECTURE.md, checked on the project files. Written as a function of
/// the project list so the negative controls can feed it a tree that breaks each rule.
/// </summary>
public static class ProjectReferenceRules
{
    public static IReadOnlyList<ProjectInfo> Load(string srcDirectory)
    {
        var all = Directory.EnumerateFiles(srcDirectory, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{System.IO.Path.DirectorySeparatorChar}obj{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => Relative(srcDirectory, p))
            .ToList();
        return all.Select(project =>
            {
                var dir = System.IO.Path.GetDirectoryName(project)!;
                var refs = XDocument.Load(System.IO.Path.Combine(srcDirectory, project)).Descendants("ProjectReference")
                    .SelectMany(r => Expand(all, dir, r.Attribute("Include")!.Value, r.Attribute("Exclude")?.Value))
                    .ToList();
                return new ProjectInfo(project, refs);
            })
            .ToList();
    }

    public static IReadOnlyList<string> Violations(IReadOnlyList<ProjectInfo> projects)
    {
        var byPath = projects.ToDictionary(p => p.Path);
        var violations = new List<string>();
        foreach (var project in projects)
        {
            foreach (var reference in project.References.Select(r => byPath.GetValueOrDefault(r)).OfType<ProjectInfo>())
            {
                if (project.IsTool)
                {
                    violations.Add($"Tool {project.Name} references {reference.Name}; a tool stands alone and references no project under src.");
                }
                else if (project.IsAbstractions)
                {
                    violations.Add($"{project.Name} must reference no project, but references {reference.Name}.");
                }
                else if (project.IsInfrastructure && !reference.IsAbstractions)
                {
                    violations.Add($"{project.Name} may reference only Modules.Abstractions, but references {reference.Name}.");
                }
                else if (project.IsContracts && !reference.IsAbstractions)
                {
                    violations.Add($"{project.Name} may reference only Modules.Abstractions, but references {reference.Name}.");
                }
                else if (project.IsModule && reference.IsModule)
                {
                    violations.Add($"Module {project.Name} references module {reference.Name}'s implementation; use {reference.Name}.Contracts.");
                }
                else if (project.IsModule && !reference.IsAbstractions && !reference.IsInfrastructure && !reference.IsContracts)
                {
                    violations.Add($"Module {project.Name} references {reference.Name}; modules reference only Abstractions, Infrastructure and Contracts.");
                }
                else if ((project.IsHost || project.IsMigrations) && reference.IsModule)
                {
                    violations.Add($"{project.Name} references module {reference.Name} directly; hosts compose modules only through Composition.");
                }
            }
        }
        var composition = projects.SingleOrDefault(p => p.IsComposition);
        if (composition is null)
        {
            violations.Add("src/Composition/Composition.csproj is missing.");
            return violations;
        }
        foreach (var module in projects.Where(p => p.IsModule && !composition.References.Contains(p.Path)))
        {
            violations.Add($"Composition does not reference module {module.Name}.");
        }
        foreach (var host in projects.Where(p => (p.IsHost || p.IsMigrations) && !p.References.Contains(composition.Path)))
        {
            violations.Add($"{host.Name} does not reference Composition.");
        }
        return violations;
    }

    private static string Relative(string srcDirectory, string path) =>
        System.IO.Path.GetRelativePath(srcDirectory, System.IO.Path.GetFullPath(path)).Replace('\\', '/');

    /// <summary>A reference's include, with MSBuild's wildcards (<c>*</c> within a folder name, <c>**</c> across folders) and excludes.</summary>
    private static IEnumerable<string> Expand(IReadOnlyList<string> projects, string fromDirectory, string include, string? exclude)
    {
        var includes = Patterns(fromDirectory, include);
        var excludes = exclude is null ? [] : Patterns(fromDirectory, exclude);
        return projects.Where(p => includes.Any(r => r.IsMatch(p)) && !excludes.Any(r => r.IsMatch(p)));
    }

    private static List<Regex> Patterns(string fromDirectory, string value) =>
        value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pattern =>
            {
                var path = System.IO.Path.GetRelativePath("/src", System.IO.Path.GetFullPath(System.IO.Path.Combine("/src", fromDirectory, pattern.Replace('\\', '/'))))
                    .Replace('\\', '/');
                var regex = Regex.Escape(path).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal);
                return new Regex($"^{regex}$", RegexOptions.CultureInvariant);
            })
            .ToList();
}

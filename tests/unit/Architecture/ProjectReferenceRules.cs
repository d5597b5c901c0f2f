using System.Xml.Linq;

namespace ChaosModular.UnitTests.Architecture;

/// <summary>A project under src/, with the projects it references (paths relative to src/).</summary>
public sealed record ProjectInfo(string Path, IReadOnlyList<string> References)
{
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);
    public bool IsAbstractions => Name == "Modules.Abstractions";
    public bool IsInfrastructure => Name == "Modules.Infrastructure";
    public bool IsContracts => Path.StartsWith("Modules/", StringComparison.Ordinal) && Name.EndsWith(".Contracts", StringComparison.Ordinal);
    public bool IsModule => Path.StartsWith("Modules/", StringComparison.Ordinal) && !IsContracts && !IsAbstractions && !IsInfrastructure;
    public string? ModuleName => IsModule ? Name : IsContracts ? Name[..^".Contracts".Length] : null;
}

/// <summary>
/// The module boundary rules of ARCHITECTURE.md, checked on the project files. Written as a function of
/// the project list so the negative controls can feed it a tree that breaks each rule.
/// </summary>
public static class ProjectReferenceRules
{
    public static IReadOnlyList<ProjectInfo> Load(string srcDirectory) =>
        Directory.EnumerateFiles(srcDirectory, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{System.IO.Path.DirectorySeparatorChar}obj{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p =>
            {
                var dir = System.IO.Path.GetDirectoryName(p)!;
                var refs = XDocument.Load(p).Descendants("ProjectReference")
                    .Select(r => System.IO.Path.GetRelativePath(srcDirectory, System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, r.Attribute("Include")!.Value.Replace('\\', '/'))))
                        .Replace('\\', '/'))
                    .ToList();
                return new ProjectInfo(System.IO.Path.GetRelativePath(srcDirectory, p).Replace('\\', '/'), refs);
            })
            .ToList();

    public static IReadOnlyList<string> Violations(IReadOnlyList<ProjectInfo> projects)
    {
        var byPath = projects.ToDictionary(p => p.Path);
        var violations = new List<string>();
        foreach (var project in projects)
        {
            foreach (var reference in project.References.Select(r => byPath.GetValueOrDefault(r)).OfType<ProjectInfo>())
            {
                if (project.IsAbstractions)
                {
                    violations.Add($"{project.Name} must reference no project, but references {reference.Name}.");
                }
                else if (project.IsContracts && !reference.IsAbstractions)
                {
                    violations.Add($"{project.Name} may reference only Modules.Abstractions, but references {reference.Name}.");
                }
                else if (project.IsModule && reference.IsModule)
                {
                    violations.Add($"Module {project.Name} references module {reference.Name}'s implementation; use {reference.Name}.Contracts.");
                }
                else if (project.IsInfrastructure && !reference.IsAbstractions)
                {
                    violations.Add($"{project.Name} may reference only Modules.Abstractions, but references {reference.Name}.");
                }
                else if (project.IsModule && !reference.IsAbstractions && !reference.IsInfrastructure && !reference.IsContracts)
                {
                    violations.Add($"Module {project.Name} references {reference.Name}; modules reference only Abstractions, Infrastructure and Contracts.");
                }
            }
        }
        var modules = projects.Where(p => p.IsModule).ToList();
        foreach (var host in projects.Where(p => p.Path is "Web/Web.csproj" or "Worker/Worker.csproj"))
        {
            foreach (var module in modules.Where(m => !host.References.Contains(m.Path)))
            {
                violations.Add($"{host.Name} does not reference module {module.Name}.");
            }
        }
        return violations;
    }
}

using System.Reflection;
using System.Text.Json;
using ChaosModular.UnitTests.Architecture.Rogue;
using ChaosModular.Composition;
using ChaosModular.Modules.Infrastructure;
using NetArchTest.Rules;

namespace ChaosModular.UnitTests.Architecture;

public sealed class ModuleBoundaryTests
{
    private static IReadOnlyList<IModule> Modules => ModuleList.All;

    private static IReadOnlyList<ProjectInfo> Projects => ProjectReferenceRules.Load(Path.Combine(RepositoryRoot.Path, "src"));

    [Fact]
    public void Project_references_follow_the_module_rules()
    {
        Assert.Empty(ProjectReferenceRules.Violations(Projects));
    }

    [Fact]
    public void Every_module_folder_is_in_the_module_list()
    {
        var folders = Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, "src", "Modules"))
            .Select(Path.GetFileName).OfType<string>().Where(f => f != "Shared").ToList();

        Assert.Empty(ListMismatches(folders, Modules));
        Assert.Equal(folders.Order(), Projects.Where(p => p.IsModule).Select(p => p.Name).Order());
    }

    [Fact]
    public void Negative_control_a_module_folder_missing_from_the_list_is_caught()
    {
        var folders = Modules.Select(ModuleFolder).Append("Reports").ToList();

        Assert.Equal(["src/Modules/Reports is not in ModuleList.All."], ListMismatches(folders, Modules));
    }

    [Fact]
    public void Web_and_Worker_compose_the_same_modules_as_the_list()
    {
        // Built, not started: nothing connects to this database.
        string[] args = ["--Database:Provider=PostgreSql", "--ConnectionStrings:PostgreSql=Host=127.0.0.1;Database=unused", "--Jobs:RunServerInWeb=false"];
        var web = ComposedModules(typeof(Program).Assembly, args);
        var worker = ComposedModules(Assembly.Load("ChaosModular.Worker"), args);

        Assert.Empty(CompositionDifferences(web, worker));
        Assert.Equal(Modules.Select(m => m.Name), web);
    }

    [Fact]
    public void Negative_control_hosts_composing_different_modules_are_caught()
    {
        var web = Modules.Select(m => m.Name).ToList();
        var worker = web.Where(n => n != "billing").ToList();

        Assert.Equal(["Web composes billing, Worker does not."], CompositionDifferences(web, worker));
    }

    [Fact]
    public void Negative_control_a_module_referencing_another_modules_implementation_is_caught()
    {
        var broken = Projects.Select(p => p.Name == "Notifications"
            ? p with { References = [.. p.References, "Modules/Accounts/Accounts/Accounts.csproj"] }
            : p).ToList();

        Assert.Contains(ProjectReferenceRules.Violations(broken), v => v.Contains("references module Accounts's implementation", StringComparison.Ordinal));
    }

    [Fact]
    public void Negative_control_contracts_referencing_anything_but_abstractions_is_caught()
    {
        var broken = Projects.Select(p => p.Name == "Accounts.Contracts"
            ? p with { References = [.. p.References, "Modules/Shared/Modules.Infrastructure/Modules.Infrastructure.csproj"] }
            : p).ToList();

        Assert.Contains("Accounts.Contracts may reference only Modules.Abstractions, but references Modules.Infrastructure.", ProjectReferenceRules.Violations(broken));
    }

    [Fact]
    public void Negative_control_composition_missing_a_module_is_caught()
    {
        var broken = Projects.Select(p => p.IsComposition
            ? p with { References = p.References.Where(r => !r.EndsWith("Notifications.csproj", StringComparison.Ordinal)).ToList() }
            : p).ToList();

        Assert.Contains("Composition does not reference module Notifications.", ProjectReferenceRules.Violations(broken));
    }

    [Fact]
    public void Negative_control_a_host_referencing_a_module_around_the_composition_is_caught()
    {
        var broken = Projects.Select(p => p.Name == "Worker"
            ? p with { References = [.. p.References, "Modules/Billing/Billing/Billing.csproj"] }
            : p).ToList();

        Assert.Contains("Worker references module Billing directly; hosts compose modules only through Composition.", ProjectReferenceRules.Violations(broken));
    }

    [Fact]
    public void A_tool_is_known_to_the_rules_and_references_no_project_under_src()
    {
        var tools = Projects.Where(p => p.IsTool).ToList();

        Assert.Contains(tools, p => p.Path == "Tools/LicenseServer/LicenseServer.csproj");
        Assert.All(tools, t => Assert.Empty(t.References));
    }

    [Fact]
    public void Negative_control_a_tool_referencing_a_project_under_src_is_caught()
    {
        var broken = Projects.Select(p => p.Name == "LicenseServer"
            ? p with { References = [.. p.References, "Modules/Licensing/Licensing.Contracts/Licensing.Contracts.csproj"] }
            : p).ToList();

        Assert.Contains("Tool LicenseServer references Licensing.Contracts; a tool stands alone and references no project under src.", ProjectReferenceRules.Violations(broken));
    }

    /// <summary>Not only direct references: no package a Contracts project restores, however deep, is EF Core, Hangfire or ASP.NET Core.</summary>
    [Fact]
    public void Contracts_bring_no_infrastructure_packages_in_even_transitively()
    {
        var contracts = Projects.Where(p => p.IsContracts || p.IsAbstractions).ToList();
        Assert.NotEmpty(contracts);
        foreach (var project in contracts)
        {
            var assets = Path.Combine(RepositoryRoot.Path, "src", Path.GetDirectoryName(project.Path)!, "obj", "project.assets.json");
            Assert.Empty(InfrastructurePackages(RestoredPackages(assets)).Select(p => $"{project.Name} brings in {p}"));
        }
    }

    [Fact]
    public void Negative_control_a_package_brought_in_transitively_is_caught()
    {
        Assert.Equal(["Hangfire.Core/1.8.17", "Microsoft.EntityFrameworkCore/10.0.0"],
            InfrastructurePackages(["System.Text.Json/10.0.0", "Hangfire.Core/1.8.17", "Microsoft.EntityFrameworkCore/10.0.0"]));
    }

    /// <summary>The compiled code too: no type of a module uses a type of another module's implementation.</summary>
    [Fact]
    public void Module_code_uses_no_type_of_another_modules_implementation()
    {
        Assert.Empty(TypeRuleViolations(ModuleCodes));
    }

    /// <summary>The same loop over the composition's modules plus one whose code uses Billing's implementation: only that one is caught.</summary>
    [Fact]
    public void Negative_control_the_type_rule_catches_module_code_that_uses_another_modules_implementation()
    {
        var rogue = new ModuleCode("rogue", typeof(RogueModuleCode).Assembly, typeof(RogueModuleCode).Namespace);

        Assert.Equal([$"rogue uses {typeof(RogueModuleCode).FullName}"], TypeRuleViolations([.. ModuleCodes, rogue]));
    }

    [Fact]
    public void Negative_control_abstractions_referencing_any_project_is_caught()
    {
        var broken = Projects.Select(p => p.IsAbstractions
            ? p with { References = [.. p.References, "Modules/Shared/Modules.Infrastructure/Modules.Infrastructure.csproj"] }
            : p).ToList();

        Assert.Equal(["Modules.Abstractions must reference no project, but references Modules.Infrastructure."], ProjectReferenceRules.Violations(broken));
    }

    /// <summary>A module's code for the type rule: its assembly, or (for the negative control) one namespace of an assembly.</summary>
    public sealed record ModuleCode(string Name, Assembly Assembly, string? Namespace = null)
    {
        /// <summary>The rule's subject: every type of the assembly, or those in <see cref="Namespace"/>.</summary>
        public Conditions ShouldNot() => Namespace is null
            ? NetArchTest.Rules.Types.InAssembly(Assembly).ShouldNot()
            : NetArchTest.Rules.Types.InAssembly(Assembly).That().ResideInNamespace(Namespace).ShouldNot();

        public IEnumerable<string> TypeNames() => Assembly.GetTypes()
            .Where(t => t.FullName is not null && !t.FullName.Contains('<', StringComparison.Ordinal))
            .Where(t => Namespace is null || t.Namespace == Namespace)
            .Select(t => t.FullName!);
    }

    /// <summary>The composition's modules (ModuleList.All), each with its assembly.</summary>
    private static IReadOnlyList<ModuleCode> ModuleCodes => Modules.Select(m => new ModuleCode(m.Name, m.GetType().Assembly)).ToList();

    /// <summary>For each module, the types of its code that use a type of any other module's code.</summary>
    private static List<string> TypeRuleViolations(IReadOnlyList<ModuleCode> modules)
    {
        var violations = new List<string>();
        foreach (var module in modules)
        {
            var forbidden = modules.Where(m => m != module).SelectMany(m => m.TypeNames()).ToArray();
            var result = module.ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
            if (!result.IsSuccessful)
            {
                violations.Add($"{module.Name} uses {string.Join(", ", result.FailingTypeNames ?? [])}");
            }
        }
        return violations;
    }

    private static string ModuleFolder(IModule module) => module.GetType().Assembly.GetName().Name!["ChaosModular.".Length..];

    private static List<string> ListMismatches(IReadOnlyList<string> folders, IReadOnlyList<IModule> modules)
    {
        var listed = modules.Select(ModuleFolder).ToList();
        return folders.Except(listed).Select(f => $"src/Modules/{f} is not in ModuleList.All.")
            .Concat(listed.Except(folders).Select(m => $"ModuleList.All names {m}, which has no folder under src/Modules."))
            .ToList();
    }

    private static List<string> ComposedModules(Assembly host, string[] args) =>
        HostComposition.BuildServices(host, args).GetRequiredService<IReadOnlyList<IModule>>().Select(m => m.Name).ToList();

    private static List<string> CompositionDifferences(IReadOnlyList<string> web, IReadOnlyList<string> worker) =>
        web.Except(worker).Select(m => $"Web composes {m}, Worker does not.")
            .Concat(worker.Except(web).Select(m => $"Worker composes {m}, Web does not."))
            .ToList();

    private static List<string> RestoredPackages(string assetsFile)
    {
        Assert.True(File.Exists(assetsFile), $"{assetsFile} is missing: restore the solution first.");
        using var json = JsonDocument.Parse(File.ReadAllText(assetsFile));
        return json.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(l => l.Value.GetProperty("type").GetString() == "package")
            .Select(l => l.Name)
            .ToList();
    }

    private static List<string> InfrastructurePackages(IEnumerable<string> packages) =>
        packages.Where(p => p.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.OrdinalIgnoreCase)
                || p.StartsWith("Hangfire", StringComparison.OrdinalIgnoreCase)
                || p.StartsWith("Npgsql", StringComparison.OrdinalIgnoreCase)
                || p.StartsWith("Microsoft.AspNetCore", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
}

using System.Reflection;
using ChaosModular.Accounts;
using ChaosModular.Billing;
using ChaosModular.Catalog;
using ChaosModular.CloudCredits;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Notifications;
using ChaosModular.Subscriptions;
using ChaosModular.UnitTests.Infrastructure;
using NetArchTest.Rules;

namespace ChaosModular.UnitTests.Architecture;

public sealed class ModuleBoundaryTests
{
    private static readonly IReadOnlyList<IModule> Modules = [new AccountsModule(), new NotificationsModule(), new BillingModule(), new CatalogModule(), new SubscriptionsModule(), new CloudCreditsModule()];

    private static IReadOnlyList<ProjectInfo> Projects => ProjectReferenceRules.Load(Path.Combine(RepositoryRoot.Path, "src"));

    [Fact]
    public void Project_references_follow_the_module_rules()
    {
        Assert.Empty(ProjectReferenceRules.Violations(Projects));
    }

    [Fact]
    public void The_tree_has_the_modules_the_hosts_list()
    {
        var moduleProjects = Projects.Where(p => p.IsModule).Select(p => p.Name).Order().ToList();
        Assert.Equal(["Accounts", "Billing", "Catalog", "CloudCredits", "Notifications", "Subscriptions"], moduleProjects);
        Assert.Equal(moduleProjects, Modules.Select(m => m.GetType().Assembly.GetName().Name!["ChaosModular.".Length..]).Order().ToList());
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
            ? p with { References = [.. p.References, "Modules/Notifications/Notifications/Notifications.csproj"] }
            : p).ToList();

        Assert.Contains(ProjectReferenceRules.Violations(broken), v => v.StartsWith("Accounts.Contracts may reference only", StringComparison.Ordinal));
    }

    [Fact]
    public void Negative_control_a_host_missing_a_module_is_caught()
    {
        var broken = Projects.Select(p => p.Name == "Worker"
            ? p with { References = p.References.Where(r => !r.EndsWith("Notifications.csproj", StringComparison.Ordinal)).ToList() }
            : p).ToList();

        Assert.Contains("Worker does not reference module Notifications.", ProjectReferenceRules.Violations(broken));
    }

    /// <summary>The compiled code too: no type of a module uses a type of another module's implementation.</summary>
    [Fact]
    public void Module_code_uses_no_type_of_another_modules_implementation()
    {
        foreach (var module in Modules)
        {
            var others = Modules.Where(m => m != module).Select(m => m.GetType().Assembly).ToList();
            var result = ImplementationDependencies(module.GetType().Assembly, others);
            Assert.True(result.IsSuccessful, $"{module.Name} uses {string.Join(", ", result.FailingTypeNames ?? [])}");
        }
    }

    [Fact]
    public void Negative_control_the_type_rule_catches_a_host_that_uses_module_internals()
    {
        var web = typeof(Program).Assembly;
        var result = ImplementationDependencies(web, [typeof(AccountsModule).Assembly]);

        Assert.False(result.IsSuccessful);
    }

    private static TestResult ImplementationDependencies(Assembly assembly, IReadOnlyList<Assembly> forbidden)
    {
        var forbiddenTypes = forbidden.SelectMany(a => a.GetTypes())
            .Where(t => t.FullName is not null && !t.FullName.Contains('<', StringComparison.Ordinal))
            .Select(t => t.FullName!)
            .ToArray();
        return Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(forbiddenTypes).GetResult();
    }
}

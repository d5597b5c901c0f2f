using ChaosModular.Modules.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosModular.Modules.Infrastructure;

/// <summary>A vertical slice of the portal. Every module is named once, in the Composition project's <c>ModuleList</c>.</summary>
public interface IModule
{
    /// <summary>Lower-case name; also the database schema the module owns.</summary>
    string Name { get; }

    /// <summary>The module's DbContext, on <see cref="Name"/>'s schema with its own migrations history.</summary>
    Type DbContextType { get; }

    void Register(IServiceCollection services, IConfiguration configuration);

    /// <summary>Endpoints beyond Razor Pages (files, webhooks). Most modules map none.</summary>
    void MapEndpoints(IEndpointRouteBuilder endpoints) { }

    /// <summary>Recurring jobs, registered by whichever process runs the job server.</summary>
    void RegisterRecurringJobs(Hangfire.IRecurringJobManager jobs) { }
}

using ChaosModular.Accounts.Contracts;
using ChaosModular.Composition;
using ChaosModular.Modules.Infrastructure.Hosting;
using ChaosModular.Modules.Infrastructure.RateLimiting;
using ChaosModular.Web;
using ChaosModular.Web.Features;
using ChaosModular.Web.Health;
using ChaosModular.Web.Security;
using ChaosModular.Web.Telemetry;
using Hangfire;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

builder.AddChaosModules(ModuleList.All, HostRole.Web);
builder.Services.AddOptions<PortalOptions>()
    .Configure<IConfiguration>((o, config) =>
    {
        o.BaseUrl = config["Portal:BaseUrl"] ?? "";
        o.HelpCenterUrl = config["Support:HelpCenterUrl"] ?? "";
        o.LearningLinks = config.GetSection("Learning:Links").Get<List<LearningLink>>() ?? [];
    })
    .ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<PortalOptions>, PortalOptionsValidator>();

builder.AddTransportSecurity();

builder.Services.AddSingleton<RequestStatistics>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<RequestStatistics>());
builder.Services.AddScoped<SupportMetrics>();
builder.Services.AddScoped<LearningForCustomer>();
builder.Services.AddHealthProbes();
builder.Services.AddFormRateLimits(builder.Configuration);

builder.Services.AddRazorPages(o =>
    {
        // The benchmark's bare page (scripts/bench.sh) exists only in the Benchmark environment: no route elsewhere.
        if (!builder.Environment.IsEnvironment(BenchmarkEnvironment.Name))
        {
            o.Conventions.AddPageRouteModelConvention(BenchmarkEnvironment.BarePage, page => page.Selectors.Clear());
        }
    })
    .ConfigureApplicationPartManager(parts =>
    {
        // The modules' pages and their compiled Razor views (Web.csproj generates no [ApplicationPart] list). Each
        // assembly's own factory gives both its types and its compiled views.
        foreach (var assembly in ModuleList.All.Select(m => m.GetType().Assembly).Distinct())
        {
            if (parts.ApplicationParts.All(p => p.Name != assembly.GetName().Name))
            {
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                {
                    parts.ApplicationParts.Add(part);
                }
            }
        }
    });

var app = builder.Build();

await app.Services.InitializeModulesAsync();

app.UseTransportSecurity();
app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error/500");
}
app.UseStatusCodePagesWithReExecute("/error/{0}");
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
// After authentication (the limits count per signed-in account too), before authorization (a refused flood costs little).
app.UseFormRateLimits();
app.UseRateLimiter();
app.UseAuthorization();

app.MapHealthProbes();
app.MapHangfireDashboard("/hangfire", new DashboardOptions
{
    Authorization = [new SupportDashboardFilter()],
    DashboardTitle = "ChaosModular jobs",
    AppPath = "/",
}).RequireAuthorization(PortalPolicies.Support);
app.MapGet("/support", (IOptions<PortalOptions> portal) => Results.Redirect(portal.Value.HelpCenterUrl));
app.MapRazorPages();
foreach (var module in ModuleList.All)
{
    module.MapEndpoints(app);
}

await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;

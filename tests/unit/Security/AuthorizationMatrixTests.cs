using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace ChaosModular.UnitTests.Security;

/// <summary>
/// Every endpoint the app routes to, asked by every role, against one table of expected answers. The endpoints are
/// read from the app's endpoint data source, so a new page, handler or API that is not in the table fails the test
/// (and so does a row whose endpoint is gone). Route ids belong to the owner (the demo customer, who also
/// administers Demo Studio): another customer must get 404, never the owner's data.
/// </summary>
public sealed class AuthorizationMatrixTests(DemoSqlitePortalFactory factory) : IClassFixture<DemoSqlitePortalFactory>
{
    /// <summary>The columns, in <see cref="Expected"/>'s order.</summary>
    private static readonly Role[] Roles = [Role.Anonymous, Role.Owner, Role.OtherCustomer, Role.Member, Role.Guest, Role.OrganizationAdministrator, Role.Support];

    /// <summary>
    /// What each role gets. <c>in</c>: redirected to sign-in; <c>302</c>: redirected elsewhere (done, or on to the
    /// right page); <c>401p</c>/<c>404p</c>/<c>400p</c>: an API's problem+json. Page POSTs carry a valid antiforgery
    /// token for the role's user and no other field but the owner's ids some handlers take from the form
    /// (<see cref="SecurityWorld.FormIds"/>), so a handler that validates answers 200 with its messages, or 400/404 for
    /// an id it cannot find; API calls carry <c>{}</c> and no key.
    /// </summary>
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        //                                                                                        anon  owner other membr guest admin suppt
        ["GET /"] =                                                                             "in    302   302   302   302   302   302",
        ["GET /.well-known/chaos-license-keys.json"] =                                          "200   200   200   200   200   200   200",
        ["GET /account/confirm-email"] =                                                        "in    200   200   200   200   200   200",
        ["POST /account/confirm-email?handler=Resend"] =                                        "in    302   302   302   302   302   302",
        ["GET /confirm-email"] =                                                                "200   200   200   200   200   200   200",
        ["GET /sign-up/check-email"] =                                                          "200   200   200   200   200   200   200",
        ["GET /account"] =                                                                      "in    200   200   200   200   200   200",
        ["GET /account/password"] =                                                             "in    200   200   200   200   200   200",
        ["GET /api/cloud-credits/v1/balance"] =                                                 "401p  401p  401p  401p  401p  401p  401p",
        ["ANY /api/cloud-credits/v1/{**path}"] =                                                "404p  404p  404p  404p  404p  404p  404p",
        ["GET /api/license-servers/v1/licenses"] =                                              "401p  401p  401p  401p  401p  401p  401p",
        ["ANY /api/license-servers/v1/{**path}"] =                                              "404p  404p  404p  404p  404p  404p  404p",
        ["GET /billing"] =                                                                      "in    200   200   200   200   200   200",
        ["GET /billing/information"] =                                                          "in    200   200   200   200   200   200",
        ["GET /billing/invoices/{id:guid}/pdf"] =                                               "in    200   404   404   404   404   404",
        ["GET /billing/pay"] =                                                                  "in    200   200   200   200   200   200",
        ["GET /billing/payment-methods"] =                                                      "in    200   200   200   200   200   200",
        ["GET /error/{code:int?}"] =                                                            "200   200   200   200   200   200   200",
        ["GET /forgot-password"] =                                                              "200   200   200   200   200   200   200",
        ["ANY /hangfire/{**path}"] =                                                            "in    403   403   403   403   403   200",
        ["GET /health"] =                                                                       "200   200   200   200   200   200   200",
        ["GET /health/live"] =                                                                  "200   200   200   200   200   200   200",
        ["GET /health/ready"] =                                                                 "200   200   200   200   200   200   200",
        ["GET /learning"] =                                                                     "in    200   200   200   200   200   200",
        ["GET /licensing"] =                                                                    "in    200   200   200   200   200   200",
        ["GET /licensing/borrow"] =                                                             "in    200   200   200   200   200   200",
        ["GET /licensing/borrows/{id:guid}"] =                                                  "in    200   404   404   404   404   404",
        ["GET /licensing/borrows/{id:guid}/file"] =                                             "in    200   404   404   404   404   404",
        ["GET /licensing/licenses/{id:guid}"] =                                                 "in    200   404   404   404   404   404",
        ["GET /licensing/servers"] =                                                            "in    200   200   200   200   200   200",
        ["GET /licensing/servers/activate"] =                                                   "in    200   200   200   200   200   200",
        ["GET /licensing/servers/activations/{id:guid}"] =                                      "in    200   404   404   404   404   404",
        ["GET /licensing/servers/activations/{id:guid}/response"] =                             "in    200   404   404   404   404   404",
        ["GET /licensing/servers/{id:guid}/deactivate"] =                                       "in    200   404   404   404   404   404",
        ["GET /openapi/{documentName}.json"] =                                                  "200   200   200   200   200   200   200",
        ["GET /organization"] =                                                                 "in    200   404   404   404   200   404",
        ["GET /organization/audit"] =                                                           "in    200   404   404   404   200   404",
        ["GET /organization/audit?handler=Export"] =                                            "in    200   404   404   404   200   404",
        ["GET /organization/bulk-invites"] =                                                    "in    200   404   404   404   200   404",
        ["GET /organization/bulk-invites/{id:guid}"] =                                          "in    200   404   404   404   200   404",
        ["GET /organization/bulk-invites/{id:guid}/results.csv"] =                              "in    200   404   404   404   200   404",
        ["GET /organization/bulk-invites/{id:guid}/review"] =                                   "in    302   404   404   404   302   404",
        ["GET /organization/credits"] =                                                         "in    200   404   404   404   200   404",
        ["GET /organization/credits/allocate"] =                                                "in    200   404   404   404   200   404",
        ["GET /organization/invitations/{token}"] =                                             "in    404   404   404   404   404   404",
        ["GET /organization/invite"] =                                                          "in    200   404   404   404   200   404",
        ["GET /organization/invite/bulk"] =                                                     "in    200   404   404   404   200   404",
        ["GET /organization/invite/bulk/template"] =                                            "in    200   404   404   404   200   404",
        ["GET /organization/products"] =                                                        "in    200   404   404   404   200   404",
        ["GET /organization/products/assign"] =                                                 "in    200   404   404   404   200   404",
        ["GET /organization/products/assign-csv"] =                                             "in    200   404   404   404   200   404",
        ["GET /organization/products/assign-csv?handler=Template"] =                            "in    200   404   404   404   200   404",
        ["GET /organization/remove"] =                                                          "in    200   404   404   404   200   404",
        ["GET /organization/remove/csv"] =                                                      "in    200   404   404   404   200   404",
        ["GET /organization/remove/csv?handler=Template"] =                                     "in    200   404   404   404   200   404",
        ["GET /organization/users/{membershipId:guid}/allocate"] =                              "in    200   404   404   404   200   404",
        ["GET /products"] =                                                                     "in    200   200   200   200   200   200",
        ["GET /products/cart/{id:guid}"] =                                                      "in    200   404   404   404   404   404",
        ["GET /products/cloud-credits"] =                                                       "in    200   200   200   200   200   200",
        ["GET /products/downloads"] =                                                           "in    200   200   200   200   200   200",
        ["GET /products/downloads/{product}"] =                                                 "in    200   404   404   404   404   404",
        ["GET /products/expired"] =                                                             "in    200   200   200   200   200   200",
        ["GET /products/orders/{id:guid}"] =                                                    "in    200   404   404   404   404   404",
        ["GET /products/{id:guid}"] =                                                           "in    200   404   404   404   404   404",
        ["GET /products/{id:guid}/add-seats"] =                                                 "in    200   404   404   404   404   404",
        ["GET /products/{id:guid}/upgrade"] =                                                   "in    200   404   404   404   404   404",
        ["GET /reset-password"] =                                                               "200   200   200   200   200   200   200",
        ["GET /sign-in"] =                                                                      "200   302   302   302   302   302   302",
        ["GET /sign-out"] =                                                                     "in    200   200   200   200   200   200",
        ["GET /sign-up"] =                                                                      "200   302   302   302   302   302   302",
        ["GET /support"] =                                                                      "in    302   302   302   302   302   302",
        ["GET /support/metrics"] =                                                              "in    403   403   403   403   403   200",
        ["GET /support/organizations"] =                                                        "in    403   403   403   403   403   200",
        ["GET /support/organizations/{id:guid}"] =                                              "in    403   403   403   403   403   200",
        ["GET /support/organizations/{id:guid}/administrators/{membershipId:guid}/remove"] =    "in    403   403   403   403   403   200",
        ["POST /account"] =                                                                     "in    200   200   200   200   200   200",
        ["POST /account/password"] =                                                            "in    200   200   200   200   200   200",
        ["POST /api/cloud-credits/v1/debits"] =                                                 "401p  401p  401p  401p  401p  401p  401p",
        ["POST /api/license-servers/v1/activate"] =                                             "400p  400p  400p  400p  400p  400p  400p",
        ["POST /api/license-servers/v1/heartbeat"] =                                            "401p  401p  401p  401p  401p  401p  401p",
        ["POST /api/license-servers/v1/leases"] =                                               "401p  401p  401p  401p  401p  401p  401p",
        ["DELETE /api/license-servers/v1/leases/{leaseId:guid}"] =                              "401p  401p  401p  401p  401p  401p  401p",
        ["POST /billing/information"] =                                                         "in    200   200   200   200   200   200",
        ["POST /billing/pay"] =                                                                 "in    400   400   400   400   400   400",
        ["POST /billing/payment-methods?handler=Add"] =                                         "in    200   200   200   200   200   200",
        ["POST /billing/payment-methods?handler=Default"] =                                     "in    302   404   404   404   404   404",
        ["POST /billing/payment-methods?handler=Remove"] =                                      "in    302   404   404   404   404   404",
        // Stripe only (a SetupIntent for Stripe.js); this matrix runs the Simulated gateway, where it does not exist.
        ["POST /billing/payment-methods?handler=Setup"] =                                       "in    404p  404p  404p  404p  404p  404p",
        ["POST /billing/stripe/webhook"] =                                                      "404   404   404   404   404   404   404",
        ["POST /error/{code:int?}"] =                                                           "200   200   200   200   200   200   200",
        ["POST /forgot-password"] =                                                             "200   200   200   200   200   200   200",
        ["POST /licensing/borrow"] =                                                            "in    422   422   422   422   422   422",
        ["POST /licensing/borrows/{id:guid}?handler=Return"] =                                  "in    302   404   404   404   404   404",
        ["POST /licensing/servers?handler=ActivationCode"] =                                    "in    200   200   200   200   200   200",
        ["POST /licensing/servers/activate"] =                                                  "in    422   422   422   422   422   422",
        ["POST /licensing/servers/{id:guid}/deactivate"] =                                      "in    302   404   404   404   404   404",
        ["POST /organization?handler=Cancel"] =                                                 "in    404   404   404   404   404   404",
        ["POST /organization?handler=Resend"] =                                                 "in    302   404   404   404   302   404",
        ["POST /organization/bulk-invites/{id:guid}/review?handler=Roles"] =                    "in    302   404   404   404   302   404",
        ["POST /organization/bulk-invites/{id:guid}/review?handler=Send"] =                     "in    302   404   404   404   302   404",
        ["POST /organization/credits/allocate"] =                                               "in    200   404   404   404   200   404",
        ["POST /organization/credits/allocate?handler=Revoke"] =                                "in    302   404   404   404   302   404",
        ["POST /organization/invitations/{token}"] =                                            "in    404   404   404   404   404   404",
        ["POST /organization/invite"] =                                                         "in    200   404   404   404   200   404",
        ["POST /organization/invite/bulk"] =                                                    "in    200   404   404   404   200   404",
        ["POST /organization/products?handler=Revoke"] =                                        "in    404   404   404   404   404   404",
        ["POST /organization/products/assign"] =                                                "in    404   404   404   404   404   404",
        ["POST /organization/products/assign-csv?handler=Assign"] =                             "in    200   404   404   404   200   404",
        ["POST /organization/products/assign-csv?handler=Upload"] =                             "in    200   404   404   404   200   404",
        ["POST /organization/remove"] =                                                         "in    302   404   404   404   302   404",
        ["POST /organization/remove/csv?handler=Remove"] =                                      "in    302   404   404   404   302   404",
        ["POST /organization/remove/csv?handler=Upload"] =                                      "in    200   404   404   404   200   404",
        ["POST /organization/users/{membershipId:guid}/allocate"] =                             "in    200   404   404   404   200   404",
        ["POST /products/cart/{id:guid}"] =                                                     "in    422   404   404   404   404   404",
        ["POST /products/cloud-credits?handler=ChoosePool"] =                                   "in    302   302   302   302   302   302",
        ["POST /products/{id:guid}?handler=AutoRenew"] =                                        "in    302   404   404   404   404   404",
        ["POST /products/{id:guid}?handler=KeepSeats"] =                                        "in    302   404   404   404   404   404",
        ["POST /products/{id:guid}?handler=ReduceSeats"] =                                      "in    422   404   404   404   404   404",
        ["POST /products/{id:guid}/add-seats"] =                                                "in    422   404   404   404   404   404",
        ["POST /products/{id:guid}/upgrade"] =                                                  "in    422   404   404   404   404   404",
        ["POST /reset-password"] =                                                              "200   200   200   200   200   200   200",
        ["POST /sign-in"] =                                                                     "200   200   200   200   200   200   200",
        ["POST /sign-up"] =                                                                     "200   200   200   200   200   200   200",
        ["POST /support/organizations"] =                                                       "in    403   403   403   403   403   200",
        ["POST /support/organizations/{id:guid}"] =                                             "in    403   403   403   403   403   200",
        ["POST /support/organizations/{id:guid}/administrators/{membershipId:guid}/remove"] =   "in    403   403   403   403   403   302",
        ["POST /sign-out"] =                                                                    "in    in    in    in    in    in    in",
    };

    [Fact]
    public async Task Every_endpoint_answers_every_role_as_the_table_says()
    {
        factory.CreatePortalClient().Dispose();   // starts the host: the endpoints exist from then on
        var world = await SecurityWorld.CreateAsync(factory);
        var endpoints = await SecurityWorld.EnumerateEndpointsAsync(factory);
        Assert.Empty(endpoints.Where(k => k.Pattern.Contains('{', StringComparison.Ordinal) && !world.ConcretePaths.ContainsKey(k.Pattern)).Select(k => k.Pattern).Distinct());
        var tokens = new Dictionary<Role, string>();
        foreach (var role in Roles)
        {
            tokens[role] = await SecurityWorld.TokenAsync(world.Clients[role], role);
        }

        // Reads first, then writes; signing out last, since it ends the sessions the other rows use.
        var order = endpoints
            .OrderBy(k => k.Method is "GET" or "ANY" ? 0 : k.Pattern == "/sign-out" ? 2 : 1)
            .ToList();
        var actual = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in order)
        {
            var answers = new List<string>();
            // The owner last: an owner's write (deactivate, return) must not change what the others are asked about.
            var asked = new Dictionary<Role, string>();
            foreach (var role in Roles.OrderBy(r => r == Role.Owner ? 1 : 0))
            {
                asked[role] = await AskAsync(world, key, role, tokens[role]);
            }
            actual[key.ToString()] = string.Join(" ", Roles.Select(r => asked[r].PadRight(5)));
        }

        var problems = new StringBuilder();
        var missing = actual.Keys.Where(k => !Expected.ContainsKey(k)).ToList();
        foreach (var key in missing)
        {
            problems.AppendLine(CultureInfo.InvariantCulture, $"Not in the table (add it with the answers intended): [\"{key}\"] = \"{actual[key].TrimEnd()}\",");
        }
        foreach (var key in Expected.Keys.Where(k => !actual.ContainsKey(k)))
        {
            problems.AppendLine(CultureInfo.InvariantCulture, $"In the table but no longer an endpoint: {key}");
        }
        foreach (var (key, answers) in actual.Where(a => Expected.ContainsKey(a.Key)))
        {
            var want = Expected[key].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var got = answers.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < Roles.Length; i++)
            {
                if (want[i] != got[i])
                {
                    problems.AppendLine(CultureInfo.InvariantCulture, $"{key} as {Roles[i]}: expected {want[i]}, got {got[i]}");
                }
            }
        }
        Assert.True(problems.Length == 0, problems.ToString());
    }

    private static async Task<string> AskAsync(SecurityWorld world, EndpointKey key, Role role, string token)
    {
        var client = world.Clients[role];
        var address = new Uri(world.AddressOf(key), UriKind.Relative);
        using var request = new HttpRequestMessage(new HttpMethod(key.Method == "ANY" ? "GET" : key.Method), address);
        if (key.Method is "POST" or "PUT" or "DELETE" or "PATCH")
        {
            request.Content = key.Pattern.StartsWith("/api/", StringComparison.Ordinal) || key.Pattern.StartsWith("/billing/stripe/", StringComparison.Ordinal)
                ? new StringContent("{}", Encoding.UTF8, "application/json")
                : new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. world.FormIds.GetValueOrDefault(key.ToString()) ?? []]);
        }
        using var response = await client.Http.SendAsync(request);
        return Describe(response);
    }

    private static string Describe(HttpResponseMessage response)
    {
        var code = (int)response.StatusCode;
        if (code is >= 300 and < 400)
        {
            var location = response.Headers.Location?.OriginalString ?? "";
            return location.Contains("/sign-in", StringComparison.OrdinalIgnoreCase) ? "in" : code.ToString(CultureInfo.InvariantCulture);
        }
        return response.Content.Headers.ContentType is MediaTypeHeaderValue { MediaType: "application/problem+json" }
            ? code.ToString(CultureInfo.InvariantCulture) + "p"
            : code.ToString(CultureInfo.InvariantCulture);
    }
}

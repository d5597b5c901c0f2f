using ChaosModular.Accounts.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.Sqlite.Accounts
{
    /// <summary>
    /// Email confirmation arrives (issue 12): accounts made before it never received a link, so they count as confirmed.
    /// Data only, no model change (hence no target model).
    /// </summary>
    [DbContext(typeof(AccountsDbContext))]
    [Migration("20261201005000_ConfirmExistingEmails")]
    public partial class ConfirmExistingEmails : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""UPDATE "AspNetUsers" SET "EmailConfirmed" = 1 WHERE "EmailConfirmed" = 0;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}

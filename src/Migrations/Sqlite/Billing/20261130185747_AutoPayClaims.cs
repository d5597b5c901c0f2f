using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.Sqlite.Billing
{
    /// <inheritdoc />
    public partial class AutoPayClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AutoPayClaimId",
                schema: "billing",
                table: "invoices",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "AutoPayClaimedUntilUtc",
                schema: "billing",
                table: "invoices",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AutoPayClaimId",
                schema: "billing",
                table: "invoices");

            migrationBuilder.DropColumn(
                name: "AutoPayClaimedUntilUtc",
                schema: "billing",
                table: "invoices");
        }
    }
}

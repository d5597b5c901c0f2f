using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.SqlServer.Billing
{
    /// <inheritdoc />
    public partial class CreditSourceReference : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SourceReference",
                schema: "billing",
                table: "credits",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_credits_SourceReference",
                schema: "billing",
                table: "credits",
                column: "SourceReference",
                unique: true,
                filter: "[SourceReference] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_credits_SourceReference",
                schema: "billing",
                table: "credits");

            migrationBuilder.DropColumn(
                name: "SourceReference",
                schema: "billing",
                table: "credits");
        }
    }
}

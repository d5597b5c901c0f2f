using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.Sqlite.Subscriptions
{
    /// <inheritdoc />
    public partial class OrdersClaimOrderIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_orders_Status_Kind",
                schema: "subscriptions",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "IX_orders_Status_Kind_CreatedUtc",
                schema: "subscriptions",
                table: "orders",
                columns: new[] { "Status", "Kind", "CreatedUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_orders_Status_Kind_CreatedUtc",
                schema: "subscriptions",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "IX_orders_Status_Kind",
                schema: "subscriptions",
                table: "orders",
                columns: new[] { "Status", "Kind" });
        }
    }
}
